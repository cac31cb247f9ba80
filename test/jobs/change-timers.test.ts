/**
 * The feasibility target's timers (issue 13) run from the job table with the same
 * guarantees as incident SLA timers: "at risk" and "breached" fire once each, also when
 * two job runners on two connections sweep at the same time and when a job is delivered
 * again; a clarification pause moves them; answering in time cancels them.
 */
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/runner.ts';
import type { Database } from '../../src/db/database.ts';
import { createServices } from '../../src/http/services.ts';
import { createChangeRequestJobHandlers, FEASIBILITY_TIMER_JOB } from '../../src/modules/change-requests/change-request.jobs.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { HOUR, TestClock, makeWorld } from '../helpers/factories.ts';

function runnerFor(database: Database, clock: TestClock) {
  const s = createServices({ db: database.db, clock: clock.fn });
  return new JobRunner(database, { clock: clock.fn, handlers: createChangeRequestJobHandlers({ changeRequests: s.changeRequests }), batchSize: 25 });
}

for (const dialect of testDialects) {
  describe(`change-request feasibility timers on ${dialect}`, () => {
    const t = useTestDb(dialect);

    const fired = async (id: string) => (await t.db.selectFrom('auditLog').select('action').where('entityId', '=', id).execute())
      .map((r) => r.action).filter((a) => a.startsWith('feasibility.'));
    const pending = async (id: string) => (await t.db.selectFrom('jobs').select(['dedupeKey', 'runAt']).where('kind', '=', FEASIBILITY_TIMER_JOB)
      .where('status', '=', 'pending').execute()).filter((j) => j.dedupeKey?.startsWith(`change:${id}:`));

    it('fires "at risk" and "breached" exactly once each, with two runners sweeping together', async () => {
      // Wed 2026-04-01 10:00 JST; the standard policy: 3 business days (27 working hours) → due Mon 04-06 10:00.
      const clock = new TestClock(Date.parse('2026-04-01T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const cr = await w.s.changeRequests.create(w.contactUser, { contractId: w.contract.id, title: 'マスタ項目の追加' });
      expect(cr.feasibilityDueAt).toBe(Date.parse('2026-04-06T10:00:00+09:00'));
      // 75 % of 27 h = 20 h 15 min of working time: Wed 8 h + Thu 9 h + Fri 3 h 15 min.
      expect(cr.feasibilityAtRiskAt).toBe(Date.parse('2026-04-03T12:15:00+09:00'));
      expect((await pending(cr.id)).length).toBe(2);

      const a = runnerFor(t.database, clock);
      // Two processes on PostgreSQL; SQLite is one embedded process (two runners on one handle).
      const b = runnerFor(dialect === 'postgres' ? t.openAnother() : t.database, clock);
      clock.set('2026-04-03T12:14:00+09:00');
      await Promise.all([a.runDue(), b.runDue()]);
      expect(await fired(cr.id)).toEqual([]);

      clock.set('2026-04-03T12:16:00+09:00');
      await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
      expect(await fired(cr.id)).toEqual(['feasibility.atRisk']);
      // The same job delivered again (a crash after the handler, before completion) changes nothing.
      expect(await w.s.changeRequests.fireFeasibilityTimer({ changeRequestId: cr.id, event: 'atRisk' }, clock.now)).toBe(false);

      clock.set('2026-04-06T10:00:01+09:00');
      await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
      expect(await fired(cr.id)).toEqual(['feasibility.atRisk', 'feasibility.breached']);
      expect(await w.s.changeRequests.fireFeasibilityTimer({ changeRequestId: cr.id, event: 'breached' }, clock.now)).toBe(false);
      const detail = await w.s.changeRequests.get(w.agent, cr.id);
      expect(detail.feasibilityView?.state).toBe('breached');
      expect(detail.events.filter((e) => e.kind.startsWith('feasibility.')).map((e) => e.kind)).toEqual(['feasibility.atRisk', 'feasibility.breached']);
      // The client does not see the desk's own warnings.
      const mine = await w.s.changeRequests.get(w.contactUser, cr.id);
      expect(mine.events.some((e) => e.kind.startsWith('feasibility.'))).toBe(false);
      // Answered late: met late, no timers left.
      const answered = await w.s.changeRequests.command(w.agent, cr.id, 'judge_feasible', { text: 'ok' });
      expect(answered.feasibilityView?.state).toBe('metLate');
      expect(await pending(cr.id)).toEqual([]);
    });

    it('a clarification pause moves the timers; an answer in time cancels them', async () => {
      const clock = new TestClock(Date.parse('2026-04-01T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock, 'Pause');
      const cr = await w.s.changeRequests.create(w.agent, { contractId: w.contract.id, title: 'ログ保存期間の変更', requesterContactId: w.primary.id });
      await w.s.changeRequests.command(w.agent, cr.id, 'ask_clarification', { text: '保存期間は何日ですか' });
      expect(await pending(cr.id)).toEqual([]);
      const runner = runnerFor(t.database, clock);
      // Paused over the at-risk instant: nothing fires.
      clock.set('2026-04-03T13:00:00+09:00');
      await runner.runDue();
      expect(await fired(cr.id)).toEqual([]);
      // Resumed Fri 13:00: the working time spent waiting is added to the deadline.
      const resumed = await w.s.changeRequests.command(w.contactUser, cr.id, 'clarify', { text: '90日です' });
      expect(resumed.status).toBe('requested');
      const jobs = await pending(cr.id);
      expect(jobs.map((j) => j.dedupeKey).sort()).toEqual([`change:${cr.id}:feasibility:atRisk`, `change:${cr.id}:feasibility:breached`]);
      expect(resumed.feasibilityDueAt).toBeGreaterThan(Date.parse('2026-04-06T10:00:00+09:00'));
      clock.advance(HOUR);
      const judged = await w.s.changeRequests.command(w.agent, cr.id, 'judge_feasible', {});
      expect(judged.feasibilityView?.state).toBe('met');
      expect(await pending(cr.id)).toEqual([]);
      clock.set('2026-04-20T10:00:00+09:00');
      await runner.runDue();
      expect(await fired(cr.id)).toEqual([]);
    });
  });
}
