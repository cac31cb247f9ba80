/**
 * Escalation rules at work, on each dialect, with the real SLA timers, webhooks to a
 * loopback receiver and the mail queue: at risk → the assignee and the webhook; breached →
 * level 1 (assignee, desk lead, the contract's engineer in charge) on the timeline, in the
 * audit log, by mail and as `sla.escalated`; still breached after N hours → level 2 (the
 * desk too); met late → `sla.met_late` and no further level; an urgent incident left
 * unassigned for M minutes → the desk; one assigned in time → nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { SLA_TIMER_JOB, createSlaTimerHandler } from '../../src/modules/incidents/incident.jobs.ts';
import { createNotificationService } from '../../src/modules/notifications/notification.service.ts';
import { createEscalationHandlers } from '../../src/modules/webhooks/webhook.escalation.ts';
import { createWebhookJobHandlers } from '../../src/modules/webhooks/webhook.jobs.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { HOUR, MIN, TestClock, makeUser, makeWorld } from '../helpers/factories.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

const DESK = 'desk@vendor.test';

async function mailsTo(db: Kysely<DB>, prefix: string): Promise<Array<{ to: string[]; subject: string; text: string }>> {
  const rows = await db.selectFrom('jobs').select(['payload', 'dedupeKey']).where('kind', '=', 'mail.outbound').execute();
  return rows.filter((r) => r.dedupeKey?.startsWith(prefix)).map((r) => {
    const m = JSON.parse(r.payload) as { to: string | string[]; subject: string; text: string };
    return { to: Array.isArray(m.to) ? m.to : [m.to], subject: m.subject, text: m.text };
  });
}
const emailOf = async (db: Kysely<DB>, id: string) => (await db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;

for (const dialect of testDialects) {
  describe(`escalation on ${dialect}`, () => {
    const t = useTestDb(dialect);
    let rx: Receiver;
    beforeAll(async () => { rx = await startReceiver(); });
    afterAll(async () => { await rx.close(); });

    it('at risk, breached (level 1), still breached (level 2), met late — timeline, audit, mail and webhooks', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const lead = await makeUser(t.db, 'admin');
      const engineer = await makeUser(t.db, 'agent');
      await w.s.contracts.update(SYSTEM_ACTOR, w.contract.id, { engineerIds: [engineer.userId] });
      await w.s.webhooks.create(SYSTEM_ACTOR, { url: `${rx.url}/sla`, allowInsecure: true, eventTypes: ['sla.at_risk', 'sla.breached', 'sla.escalated', 'sla.met_late'] });
      const runner = new JobRunner(t.database, {
        clock: clock.fn,
        handlers: {
          [SLA_TIMER_JOB]: createSlaTimerHandler({ db: t.db, clock: clock.fn, notifications: createNotificationService({ deskEmail: DESK, baseUrl: 'http://desk.test' }) }),
          ...createEscalationHandlers({ db: t.db, clock: clock.fn, deskEmail: DESK, baseUrl: 'http://desk.test' }),
          ...createWebhookJobHandlers({ db: t.db, clock: clock.fn, box: w.s.webhooks.box }).handlers,
        },
      });
      const run = async () => { await runner.runDue(); await runner.runDue(); await runner.runDue(); };
      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '基幹システム停止', channel: 'phone', priority: 'urgent', assigneeId: w.agent.userId });
      const types = () => rx.received.filter((r) => r.path === '/sla').map((r) => {
        const b = JSON.parse(r.body) as { type: string; resource: { id: string }; data: { target: string; level?: number } };
        return b.resource.id === inc.id ? `${b.type}:${b.data.target}${b.data.level !== undefined ? `:${b.data.level}` : ''}` : null;
      }).filter(Boolean);

      clock.advance(7.5 * MIN); // urgent start: 10 min (24/7), at risk at 75 %
      await run();
      expect(types()).toEqual(['sla.at_risk:start']);

      clock.advance(2.5 * MIN + 1); // breached once the deadline has passed
      await run();
      expect(types()).toEqual(['sla.at_risk:start', 'sla.breached:start', 'sla.escalated:start:1']);
      const level1 = await mailsTo(t.db, `mail:escalation:${inc.id}:start:1`);
      const to1 = level1.flatMap((m) => m.to);
      expect(to1).toEqual(expect.arrayContaining([await emailOf(t.db, lead.userId), await emailOf(t.db, engineer.userId)]));
      expect(to1).not.toContain(DESK);
      // The assignee was told by the breach notice itself (one mail, not two); the escalation names them.
      expect(to1).not.toContain(await emailOf(t.db, w.agent.userId));
      const breachNotice = await mailsTo(t.db, `mail:sla:${inc.id}:start:breached`);
      expect(breachNotice.flatMap((m) => m.to)).toContain(await emailOf(t.db, w.agent.userId));
      expect(level1[0]!.subject).toContain('レベル 1');
      const timeline = await t.db.selectFrom('incidentEvents').select(['body', 'visibility']).where('incidentId', '=', inc.id).where('kind', '=', 'escalation').orderBy('at').execute();
      expect(timeline.at(-1)!.body).toContain('エスカレーション（レベル 1）');
      expect(timeline.at(-1)!.visibility).toBe('internal');
      const audit = await t.db.selectFrom('auditLog').select(['action', 'after']).where('entityId', '=', inc.id).where('action', '=', 'escalate').execute();
      expect(audit.map((a) => JSON.parse(a.after!).level)).toEqual([1]);

      clock.advance(4 * HOUR - 1); // the default rule: next level after 4 hours (a 24/7 target: plain hours)
      await run();
      expect(await mailsTo(t.db, `mail:escalation:${inc.id}:start:2`)).toHaveLength(0);
      clock.advance(1);
      await run();
      const to2 = (await mailsTo(t.db, `mail:escalation:${inc.id}:start:2`)).flatMap((m) => m.to);
      expect(to2).toEqual(expect.arrayContaining([DESK, await emailOf(t.db, w.agent.userId), await emailOf(t.db, engineer.userId)]));
      expect(types().at(-1)).toBe('sla.escalated:start:2');

      // Work starts: the start target is met, late — its event; level 3 finds nothing to do.
      await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      await run();
      expect(types().at(-1)).toBe('sla.met_late:start');
      clock.advance(4 * HOUR);
      await run();
      expect(await mailsTo(t.db, `mail:escalation:${inc.id}:start:3`)).toHaveLength(0);
      expect(types().filter((x) => x === 'sla.escalated:start:3')).toHaveLength(0);
    });

    it('quiet hours: a business-hours target escalated after closing is mailed at the next opening; a 24/7 one at once', async () => {
      // Wed 10:00 JST. important: start within one business day (09:00–18:00) → due Thu 10:00;
      // urgent: start within 10 minutes on the 24/7 clock.
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const lead = await makeUser(t.db, 'admin');
      const runner = new JobRunner(t.database, {
        clock: clock.fn,
        handlers: {
          [SLA_TIMER_JOB]: createSlaTimerHandler({ db: t.db, clock: clock.fn, notifications: createNotificationService({ deskEmail: DESK, baseUrl: 'http://desk.test' }) }),
          ...createEscalationHandlers({ db: t.db, clock: clock.fn, deskEmail: DESK, baseUrl: 'http://desk.test' }),
        },
      });
      const run = async () => { await runner.runDue(); await runner.runDue(); await runner.runDue(); };
      const business = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '帳票が崩れる', channel: 'phone', priority: 'important', assigneeId: w.agent.userId });
      clock.set('2026-04-09T19:30:00+09:00'); // the desk was down until after closing on Thursday
      const allDay = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '全店舗でログイン不可', channel: 'phone', priority: 'urgent', assigneeId: w.agent.userId });
      clock.advance(10 * MIN + 1);
      await run();
      const runAtOf = async (key: string) => {
        const rows = await t.db.selectFrom('jobs').select(['runAt', 'payload']).where('kind', '=', 'mail.outbound').where('dedupeKey', 'like', `${key}%`).execute();
        return rows.map((r) => ({ runAt: Number(r.runAt), to: (JSON.parse(r.payload) as { to: string[] }).to }));
      };
      const quiet = await runAtOf(`mail:escalation:${business.id}:start:1`);
      expect(quiet.length).toBeGreaterThan(0);
      expect(quiet.flatMap((m) => m.to)).toContain(await emailOf(t.db, lead.userId));
      // Friday's opening, not Thursday night.
      expect(new Set(quiet.map((m) => m.runAt))).toEqual(new Set([Date.parse('2026-04-10T09:00:00+09:00')]));
      const loud = await runAtOf(`mail:escalation:${allDay.id}:start:1`);
      expect(loud.length).toBeGreaterThan(0);
      expect(loud.every((m) => m.runAt <= clock.now)).toBe(true);
      // The timeline records the escalation when it happened, whatever time the mail goes.
      const entry = await t.db.selectFrom('incidentEvents').select('at').where('incidentId', '=', business.id).where('kind', '=', 'escalation').executeTakeFirstOrThrow();
      expect(Number(entry.at)).toBe(clock.now);
    });

    it('an urgent incident unassigned for M minutes goes to the desk; one assigned in time does not', async () => {
      const clock = new TestClock(Date.parse('2026-04-09T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      await w.s.webhooks.setEscalation(SYSTEM_ACTOR, w.contract.id, { breached: { assignee: true, deskLead: false, engineer: false }, nextLevelAfterBusinessHours: 0, urgentUnassignedMinutes: 5 });
      const runner = new JobRunner(t.database, { clock: clock.fn, handlers: createEscalationHandlers({ db: t.db, clock: clock.fn, deskEmail: DESK, baseUrl: 'http://desk.test' }) });
      const left = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '誰も見ていない', channel: 'phone', priority: 'urgent' });
      const taken = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'すぐ担当', channel: 'phone', priority: 'urgent' });
      clock.advance(3 * MIN);
      await w.s.incidents.assign(w.agent, taken.id, w.agent.userId);
      clock.advance(2 * MIN);
      await runner.runDue();
      const leftMail = await mailsTo(t.db, `mail:escalation:${left.id}:unassigned`);
      expect(leftMail.flatMap((m) => m.to)).toEqual([DESK]);
      expect(leftMail[0]!.text).toContain('5 分間');
      expect(await mailsTo(t.db, `mail:escalation:${taken.id}:unassigned`)).toHaveLength(0);
      const entry = await t.db.selectFrom('incidentEvents').select('body').where('incidentId', '=', left.id).where('kind', '=', 'escalation').executeTakeFirstOrThrow();
      expect(entry.body).toContain('5 分間担当者未定');
    });
  });
}
