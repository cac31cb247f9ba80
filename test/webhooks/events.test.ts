/**
 * Which changes become which webhook events (derived from the audit entries in the same
 * transaction), on each dialect: the incident lifecycle, public messages (internal notes
 * are never sent), outages started and recovered, maintenance announced / rescheduled /
 * cancelled / started / ended; filters by client; nothing at all is recorded while no
 * endpoint is enabled; and an endpoint failing for three days is disabled and its owner told.
 */
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/runner.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { createWebhookJobHandlers } from '../../src/modules/webhooks/webhook.jobs.ts';
import { notifyDisabled } from '../../src/modules/webhooks/webhook.service.ts';
import { pruneWebhookLog } from '../../src/modules/webhooks/webhook.repository.ts';
import { candidatesOf, wants } from '../../src/modules/webhooks/webhook.events.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { HOUR, MIN, TestClock, makeUser, makeWorld } from '../helpers/factories.ts';

describe('webhook events of the other slices (change requests, risks, security incidents, reports)', () => {
  const types = (entity: string, action: string, before?: unknown, after?: unknown) =>
    candidatesOf({ entity, entityId: 'r1', action, before, after }, 0, { baseUrl: 'http://desk.test' }).map((c) => `${c.resourceType}:${c.resourceId}:${c.type}`);
  it('maps creation, status moves and issued reports; other changes say nothing', () => {
    expect(types('change_request', 'create', undefined, { status: 'received' })).toEqual(['change_request:r1:change_request.created']);
    expect(types('change_request', 'approve', { status: 'proposed' }, { status: 'approved' })).toEqual(['change_request:r1:change_request.status_changed']);
    expect(types('change_request', 'update', {}, { title: 'x' })).toEqual([]);
    expect(types('risk', 'accept', { status: 'open' }, { status: 'accepted' })).toEqual(['risk:r1:risk.status_changed']);
    expect(types('risk', 'control.create', undefined, { id: 'c' })).toEqual([]);
    expect(types('security_incident', 'create', undefined, { status: 'detected' })).toEqual(['security_incident:r1:security_incident.created']);
    expect(types('security_report', 'issue', undefined, { securityIncidentId: 's1', kind: 'first', seq: 1, title: '第一報', issuedAt: 0 })).toEqual(['security_incident:s1:report.issued']);
    expect(types('security_report', 'read', undefined, { userId: 'u' })).toEqual([]);
  });
  it('client and contract filters are strict: an event whose client is unknown does not pass them', () => {
    expect(wants([], { clientIds: ['a'] }, 'risk.created', {})).toBe(false);
    expect(wants([], { clientIds: ['a'] }, 'risk.created', { clientId: 'a' })).toBe(true);
    expect(wants([], { priorities: ['urgent'] }, 'outage.started', { clientId: 'a' })).toBe(true);
    expect(wants([], { systemIds: ['s'] }, 'maintenance.announced', { clientId: 'a', systemId: null })).toBe(true);
    expect(wants(['incident.created'], {}, 'risk.created', { clientId: 'a' })).toBe(false);
  });
});

for (const dialect of testDialects) {
  describe(`webhook events on ${dialect}`, () => {
    const t = useTestDb(dialect);

    it('records nothing while no endpoint is enabled', async () => {
      const clock = new TestClock(Date.parse('2026-04-06T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'x', channel: 'phone' });
      expect(await t.db.selectFrom('webhookEvents').select('id').execute()).toEqual([]);
      expect(await t.db.selectFrom('webhookSequences').select('resource').execute()).toEqual([]);
    });

    it('a command that rolls back leaves no event, delivery or job behind', async () => {
      const clock = new TestClock(Date.parse('2026-04-07T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const ep = await w.s.webhooks.create(SYSTEM_ACTOR, { url: 'https://hooks.example.com/rollback', eventTypes: ['incident.priority_changed'] });
      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '巻き戻し', channel: 'phone' });
      await expect(unitOfWork(t.db, clock.fn).command(w.agent, async (u) => {
        await u.tx.updateTable('incidents').set({ priority: 'urgent' }).where('id', '=', inc.id).execute();
        u.audit({ entity: 'incident', entityId: inc.id, action: 'priority', before: { priority: 'important' }, after: { priority: 'urgent' } });
        // The event is derived when the unit's function returns; this one fails first.
        throw new Error('refused');
      })).rejects.toThrow('refused');
      const deliveries = await t.db.selectFrom('webhookDeliveries').select('id').where('endpointId', '=', ep.endpoint.id).execute();
      expect(deliveries).toEqual([]);
      // And the same change made for real is announced.
      await w.s.incidents.changePriority(w.agent, inc.id, { priority: 'urgent', reason: '全社停止' });
      expect(await t.db.selectFrom('webhookDeliveries').select('id').where('endpointId', '=', ep.endpoint.id).execute()).toHaveLength(1);
    });

    it('maps incidents, outages and maintenance to their events, per client filter, in sequence', async () => {
      const clock = new TestClock(Date.parse('2026-04-06T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const other = await makeWorld(t.db, clock, 'Other');
      const ep = await w.s.webhooks.create(SYSTEM_ACTOR, { url: 'https://hooks.example.com/x', filters: { clientIds: [w.client.id] } });
      const events = async (resourceId: string) => (await t.db.selectFrom('webhookEvents as e').innerJoin('webhookDeliveries as d', 'd.eventId', 'e.id')
        .select(['e.type', 'e.sequence']).where('e.resourceId', '=', resourceId).where('d.endpointId', '=', ep.endpoint.id).orderBy('e.sequence').execute()).map((e) => `${e.sequence}:${e.type}`);

      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '停止', channel: 'phone', priority: 'important', recognized: false });
      await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'recognized' });
      await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      await w.s.incidents.addComment(w.agent, inc.id, { body: 'お客様へのご連絡' });
      await w.s.incidents.addComment(w.agent, inc.id, { body: '社内メモ', internal: true });
      await w.s.incidents.assign(w.agent, inc.id, w.agent.userId);
      expect(await events(inc.id)).toEqual(['1:incident.created', '2:incident.recognized', '3:incident.status_changed', '4:incident.commented', '5:incident.assigned']);
      const other1 = await other.s.incidents.create(other.agent, { contractId: other.contract.id, title: '他社', channel: 'phone' });
      expect(await events(other1.id)).toEqual([]);

      // An outage: alerted (its incident opened) and recovered.
      const outageId = uuidv7();
      const at = clock.now;
      const monitor = await w.s.monitoring.create(w.agent, { contractId: w.contract.id, systemId: w.system.id, name: '監視', kind: 'tcp', host: '127.0.0.1', port: 9, enabled: false });
      await t.db.insertInto('outages').values({
        id: outageId, monitorId: monitor.id, contractId: w.contract.id, clientId: w.client.id, systemId: w.system.id,
        startedAt: at, confirmedAt: at, endedAt: null, muted: 0, incidentId: null, createdAt: at, updatedAt: at, endedBy: null, endReason: null,
      }).execute();
      await w.s.monitoring.openIncident(outageId);
      clock.advance(30 * MIN);
      await t.db.updateTable('outages').set({ endedAt: clock.now, endedBy: 'recovered' }).where('id', '=', outageId).execute();
      await w.s.monitoring.recordRecovery(outageId);
      expect(await events(outageId)).toEqual(['1:outage.started', '2:outage.recovered']);

      // Maintenance: announced, rescheduled, started, ended; another cancelled.
      const startsAt = Date.parse('2026-04-20T02:00:00+09:00');
      const m = await w.s.maintenance.create(w.agent, { contractId: w.contract.id, kind: 'planned', title: 'OS パッチ', startsAt, endsAt: startsAt + 2 * HOUR, announce: true });
      await w.s.maintenance.update(w.agent, m.id, { startsAt: startsAt + HOUR, endsAt: startsAt + 3 * HOUR });
      await w.s.maintenance.recordActual(w.agent, m.id, { actualStart: startsAt + HOUR, actualEnd: null });
      await w.s.maintenance.recordActual(w.agent, m.id, { actualStart: startsAt + HOUR, actualEnd: startsAt + 2 * HOUR });
      expect(await events(m.id)).toEqual(['1:maintenance.announced', '2:maintenance.rescheduled', '3:maintenance.started', '4:maintenance.ended']);
      const c = await w.s.maintenance.create(w.agent, { contractId: w.contract.id, kind: 'planned', title: '中止', startsAt, endsAt: startsAt + HOUR, announce: true });
      await w.s.maintenance.cancel(w.agent, c.id, { reason: '延期' });
      expect(await events(c.id)).toEqual(['1:maintenance.announced', '2:maintenance.cancelled']);
      const payload = JSON.parse((await t.db.selectFrom('webhookEvents').select('data').where('resourceId', '=', m.id).where('type', '=', 'maintenance.rescheduled').executeTakeFirstOrThrow()).data) as { previous: { startsAt: string } };
      expect(payload.previous.startsAt).toBe(new Date(startsAt).toISOString());
    });

    it('an endpoint whose deliveries fail for 3 days is disabled and its owner mailed', async () => {
      const clock = new TestClock(Date.parse('2026-05-11T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const owner = await makeUser(t.db, 'admin');
      const ep = await w.s.webhooks.create(owner, { url: 'https://hooks.example.com/down', eventTypes: ['incident.created'], description: '監視連携' });
      let sent = 0;
      const runner = new JobRunner(t.database, {
        clock: clock.fn,
        handlers: createWebhookJobHandlers({
          db: t.db, clock: clock.fn, box: w.s.webhooks.box, onDisabled: notifyDisabled,
          // The receiver is down: every attempt ends in 503.
          send: async () => { sent++; return { status: 503, durationMs: 1, error: null, excerpt: 'down', retryAfterMs: null, refused: false }; },
        }).handlers,
      });
      const state = async () => (await w.s.webhooks.get(owner, ep.endpoint.id)).endpoint;
      await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '一日目', channel: 'phone' });
      await runner.runDue();
      expect((await state()).failingSince).toBe(clock.now);
      for (let day = 1; day <= 3; day++) {
        clock.advance(24 * HOUR - MIN);
        await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: `${day + 1}日目`, channel: 'phone' });
        clock.advance(MIN);
        await runner.runDue();
      }
      const e = await state();
      expect(e.enabled).toBe(0);
      expect(e.disabledReason).toBe('failing');
      expect(sent).toBeGreaterThanOrEqual(4);
      const mail = await t.db.selectFrom('jobs').select('payload').where('dedupeKey', 'like', `mail:webhook-disabled:${ep.endpoint.id}:%`).execute();
      expect(mail).toHaveLength(1);
      const m = JSON.parse(mail[0]!.payload) as { to: string; subject: string; text: string };
      expect(m.to).toBe((await t.db.selectFrom('users').select('email').where('id', '=', owner.userId).executeTakeFirstOrThrow()).email);
      expect(m.subject).toContain('無効');
      expect(m.text).toContain('3 日間');
      // Enabled again by hand: healthy again, nothing carried over.
      const again = await w.s.webhooks.update(owner, ep.endpoint.id, { enabled: true });
      expect(again.endpoint).toMatchObject({ enabled: 1, disabledReason: null, failingSince: null });
    });

    it('housekeeping forgets finished deliveries older than the cut-off, their attempts and events; pending ones stay', async () => {
      const clock = new TestClock(Date.parse('2026-06-01T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const ep = await w.s.webhooks.create(SYSTEM_ACTOR, { url: 'https://hooks.example.com/prune', eventTypes: ['incident.created'] });
      let answer = 200;
      const runner = new JobRunner(t.database, {
        clock: clock.fn,
        handlers: createWebhookJobHandlers({ db: t.db, clock: clock.fn, box: w.s.webhooks.box, send: async () => ({ status: answer, durationMs: 1, error: null, excerpt: null, retryAfterMs: null, refused: false }) }).handlers,
      });
      await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '古い', channel: 'phone' });
      await runner.runDue();
      answer = 503;
      await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '再送待ち', channel: 'phone' });
      await runner.runDue();
      const log = async () => (await t.db.selectFrom('webhookDeliveries').select(['status']).where('endpointId', '=', ep.endpoint.id).execute()).map((d) => d.status).sort();
      expect(await log()).toEqual(['pending', 'succeeded']);
      await pruneWebhookLog(t.db, clock.now + 1);
      expect(await log()).toEqual(['pending']);
      const attempts = await t.db.selectFrom('webhookAttempts').select('id').where('endpointId', '=', ep.endpoint.id).execute();
      expect(attempts).toHaveLength(1);
    });
  });
}
