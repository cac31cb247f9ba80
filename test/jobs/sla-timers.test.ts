import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { STANDARD_POLICY } from '../../src/contract/sla-policy-document.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { MAIL_OUTBOUND_JOB as MAIL_JOB, createMailTransport, createOutboundMailHandlers } from '../../src/modules/mail/mail.outbound.ts';
import { createNotificationService } from '../../src/modules/notifications/notification.service.ts';
import { SLA_TIMER_JOB, createSlaTimerHandler } from '../../src/modules/incidents/incident.jobs.ts';
import type { Database } from '../../src/db/database.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { HOUR, MIN, TestClock, makeWorld } from '../helpers/factories.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';

const DESK = 'desk@vendor.test';

function runnerFor(database: Database, clock: TestClock, smtpUrl: string) {
  const notifications = createNotificationService({ deskEmail: DESK, baseUrl: 'http://desk.test' });
  const transport = createMailTransport({ transport: smtpUrl })!;
  const runner = new JobRunner(database, {
    clock: clock.fn,
    handlers: {
      [SLA_TIMER_JOB]: createSlaTimerHandler({ db: database.db, clock: clock.fn, notifications }),
      ...createOutboundMailHandlers({ transport, uow: unitOfWork(database.db, clock.fn), from: 'Hoshu <hoshu@vendor.test>', charset: 'utf-8' }),
    },
    batchSize: 25,
  });
  return { runner, close: transport.close };
}

for (const dialect of testDialects) {
  describe(`SLA timers on ${dialect}`, () => {
    const t = useTestDb(dialect);
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    beforeAll(async () => { smtp = await startSmtp(); });
    afterAll(async () => { await smtp.close(); });

    it('fires "at risk" and "breached" once each, records them, and e-mails the assignee and the desk after commit', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const { runner, close } = runnerFor(t.database, clock, smtp.url);
      const agentEmail = (await t.db.selectFrom('users').select('email').where('id', '=', w.agent.userId).executeTakeFirstOrThrow()).email;
      const inc = await w.s.incidents.create(w.agent, {
        contractId: w.contract.id, title: '基幹システム停止', channel: 'phone', priority: 'urgent', assigneeId: w.agent.userId,
      });
      expect(inc.nextTimerAt).toBe(clock.now + 7.5 * MIN);
      const before = smtp.mails.length;

      clock.advance(7 * MIN);
      await runner.runDue();
      expect(smtp.mails.length).toBe(before);

      clock.advance(1 * MIN);
      await runner.runDue();
      await runner.runDue();
      const atRisk = smtp.mails.slice(before);
      expect(atRisk).toHaveLength(1);
      expect(atRisk[0]!.to.sort()).toEqual([agentEmail, DESK].sort());
      // Both recipients read Japanese (the default locale), from the shared i18n templates.
      expect(atRisk[0]!.subject).toContain(`#${inc.number}`);
      expect(atRisk[0]!.text).toContain('基幹システム停止');
      expect(atRisk[0]!.text).toContain('http://desk.test/incidents/');
      let seen = await w.s.incidents.get(w.agent, inc.id);
      expect(seen.targets.find((x) => x.kind === 'start')!.state).toBe('atRisk');
      expect(seen.timeline.filter((e) => e.kind === 'sla').map((e) => e.data)).toEqual([
        expect.objectContaining({ target: 'start', event: 'atRisk' }),
      ]);
      expect(seen.nextTimerAt).toBe(inc.recognizedAt! + 10 * MIN + 1);

      clock.advance(3 * MIN);
      await runner.runDue();
      await runner.runDue();
      expect(smtp.mails.length).toBe(before + 2);
      seen = await w.s.incidents.get(w.agent, inc.id);
      expect(seen.timeline.filter((e) => e.kind === 'sla').map((e) => `${e.data.target}:${e.data.event}`)).toEqual(['start:atRisk', 'start:breached']);
      const audit = await t.db.selectFrom('auditLog').select('action').where('entityId', '=', inc.id).where('action', 'like', 'sla.%').execute();
      expect(audit.map((a) => a.action).sort()).toEqual(['sla.atRisk', 'sla.breached']);
      // Contacts never see SLA bookkeeping in the timeline.
      const asContact = await w.s.incidents.get(w.contactUser, inc.id);
      expect(asContact.timeline.some((e) => e.kind === 'sla')).toBe(false);

      // Work started late: no more start-of-work timers, the resolution ones still run.
      await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      clock.advance(24 * HOUR);
      await runner.runDue();
      await runner.runDue();
      seen = await w.s.incidents.get(w.agent, inc.id);
      expect(seen.timeline.filter((e) => e.kind === 'sla').map((e) => `${e.data.target}:${e.data.event}`)).toEqual([
        'start:atRisk', 'start:breached', 'resolve:atRisk', 'resolve:breached',
      ]);
      // Both resolution instants had passed when the runner ran: the late warning is not mailed.
      expect(smtp.mails.length).toBe(before + 3);
      close();
    });

    it('a met, paused or out-of-scope target does not fire', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const { runner, close } = runnerFor(t.database, clock, smtp.url);
      const a = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'a', channel: 'phone', priority: 'urgent' });
      const b = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'b', channel: 'phone', priority: 'urgent' });
      clock.advance(MIN);
      await w.s.incidents.changeStatus(w.agent, a.id, { to: 'in_progress' });
      await w.s.incidents.changeStatus(w.agent, a.id, { to: 'waiting_for_client', reason: '回答待ち' });
      await w.s.incidents.changeScope(w.agent, b.id, { inScope: false, reason: '契約外システム' });
      clock.advance(30 * HOUR);
      await runner.runDue();
      const events = await t.db.selectFrom('incidentEvents').select('incidentId').where('kind', '=', 'sla').where('incidentId', 'in', [a.id, b.id]).execute();
      expect(events).toEqual([]);
      // Resuming restarts the resolution clock with the paused time excluded.
      await w.s.incidents.changeStatus(w.agent, a.id, { to: 'in_progress' });
      const resumed = await w.s.incidents.get(w.agent, a.id);
      const resolve = resumed.targets.find((x) => x.kind === 'resolve')!;
      expect(resolve.dueAt).toBe(a.recognizedAt! + 8 * HOUR + (30 * HOUR));
      expect(resolve.state).toBe('ok');
      close();
    });

    it('business-hours SLA mails wait for the next opening unless the policy says to notify while closed', async () => {
      // Important, recognized Friday 17:00 JST: start of work due Monday 17:00; at risk at 75 % = Monday 14:45.
      const clock = new TestClock(Date.parse('2026-04-10T17:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const { runner, close } = runnerFor(t.database, clock, smtp.url);
      const inc = await w.s.incidents.create(w.agent, {
        contractId: w.contract.id, title: '月次帳票', channel: 'web', priority: 'important', assigneeId: w.agent.userId,
      });
      const start = inc.targets.find((x) => x.kind === 'start')!;
      expect(start.dueAt).toBe(Date.parse('2026-04-13T17:00:00+09:00'));
      expect(start.atRiskAt).toBe(Date.parse('2026-04-13T14:45:00+09:00'));
      // Move the work start so the resolution deadline (end of next business day) falls at a closing time.
      clock.set('2026-04-13T09:30:00+09:00');
      const started = await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      expect(started.targets.find((x) => x.kind === 'resolve')!.dueAt).toBe(Date.parse('2026-04-14T18:00:00+09:00'));
      // Other tests' incidents share this database and SMTP server: count only this incident's mail.
      const mailsFor = (n: number) => smtp.mails.filter((m) => m.subject.includes(`#${n} `)).length;
      // 75 % of the 17.5 working hours Mon 09:30 → Tue 18:00 is reached Tue 13:37:30, inside hours: mailed at once.
      clock.set('2026-04-14T13:40:00+09:00');
      await runner.runDue();
      await runner.runDue();
      expect(mailsFor(inc.number)).toBe(1);
      // Breach at Tuesday 18:00:00.001 (closed): recorded at once, mailed at Wednesday's opening.
      clock.set('2026-04-14T18:30:00+09:00');
      await runner.runDue();
      const seen = await w.s.incidents.get(w.agent, inc.id);
      expect(seen.timeline.filter((e) => e.kind === 'sla').map((e) => `${e.data.target}:${e.data.event}`)).toEqual(['resolve:atRisk', 'resolve:breached']);
      expect(mailsFor(inc.number)).toBe(1);
      const waiting = await t.db.selectFrom('jobs').select(['runAt', 'status']).where('dedupeKey', '=', `mail:sla:${inc.id}:resolve:breached:ja`).executeTakeFirstOrThrow();
      expect(waiting).toEqual({ runAt: Date.parse('2026-04-15T09:00:00+09:00'), status: 'pending' });
      clock.set('2026-04-15T08:59:00+09:00');
      await runner.runDue();
      expect(mailsFor(inc.number)).toBe(1);
      clock.set('2026-04-15T09:00:00+09:00');
      await runner.runDue();
      expect(mailsFor(inc.number)).toBe(2);

      // A policy with notifyWhileClosed sends at once, also at night.
      const doc = structuredClone(STANDARD_POLICY);
      doc.notifyWhileClosed = true;
      const loud = await w.s.policies.create(SYSTEM_ACTOR, { name: 'Night watch', establishedOn: '2026-01-01', document: doc });
      await w.s.contracts.update(SYSTEM_ACTOR, w.contract.id, { slaPolicyId: loud.id });
      clock.set('2026-04-15T17:00:00+09:00');
      const night = await w.s.incidents.create(w.agent, {
        contractId: w.contract.id, title: '夜間', channel: 'web', priority: 'important', assigneeId: w.agent.userId,
      });
      clock.set('2026-04-17T03:00:00+09:00'); // start of work breached Thursday 17:00, at risk Thursday 14:45
      await runner.runDue();
      await runner.runDue();
      // Both instants passed while nobody ran the jobs: both are recorded, and only the
      // breach is mailed (a warning after the deadline would be noise).
      expect(mailsFor(night.number)).toBe(1);
      const nightEvents = (await w.s.incidents.get(w.agent, night.id)).timeline.filter((e) => e.kind === 'sla');
      expect(nightEvents.map((e) => `${e.data.target}:${e.data.event}`)).toEqual(['start:atRisk', 'start:breached']);
      close();
    });

    if (dialect === 'postgres') {
      it('two job runners on one PostgreSQL database fire each of 1,000 due SLA timers exactly once', async () => {
        const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
        const w = await makeWorld(t.db, clock);
        // 250 urgent incidents × (start, resolve) × (at risk, breached) = 1,000 timers.
        const ids: string[] = [];
        for (let i = 0; i < 250; i += 10) {
          const batch = await Promise.all(Array.from({ length: 10 }, (_, k) =>
            w.s.incidents.create(w.agent, { contractId: w.contract.id, title: `load ${i + k}`, channel: 'api', priority: 'urgent' })));
          ids.push(...batch.map((x) => x.id));
        }
        const due = await t.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', SLA_TIMER_JOB).where('status', '=', 'pending').where('dedupeKey', 'like', 'sla:%').executeTakeFirstOrThrow();
        expect(Number(due.n)).toBeGreaterThanOrEqual(1000);
        clock.advance(9 * HOUR);
        const other = t.openAnother();
        const a = runnerFor(t.database, clock, smtp.url);
        const b = runnerFor(other, clock, smtp.url);
        // Only SLA timers here; mail jobs are left for later so the count is about timers.
        const onlyTimers = (database: Database) => new JobRunner(database, {
          clock: clock.fn,
          batchSize: 20,
          concurrency: 4,
          handlers: { [SLA_TIMER_JOB]: createSlaTimerHandler({ db: database.db, clock: clock.fn, notifications: createNotificationService({ deskEmail: DESK, baseUrl: 'http://x' }) }) },
        });
        const [na, nb] = await Promise.all([onlyTimers(t.database).runDue(), onlyTimers(other).runDue()]);
        expect(na).toBeGreaterThan(0);
        expect(nb).toBeGreaterThan(0);
        const fired = await t.db.selectFrom('incidentEvents').select(['incidentId', 'data']).where('kind', '=', 'sla').where('incidentId', 'in', ids).execute();
        expect(fired).toHaveLength(1000);
        const keys = new Set(fired.map((f) => {
          const d = JSON.parse(f.data) as { target: string; event: string };
          return `${f.incidentId}:${d.target}:${d.event}`;
        }));
        expect(keys.size).toBe(1000);
        const mails = await t.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', MAIL_JOB).where('dedupeKey', 'like', 'mail:sla:%').where('status', '=', 'pending').executeTakeFirstOrThrow();
        // One mail per breached target; the overdue warnings are recorded without mail.
        expect(Number(mails.n)).toBe(500);
        a.close();
        b.close();
      }, 120_000);
    }
  });
}
