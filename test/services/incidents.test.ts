import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { STANDARD_POLICY } from '../../src/contract/sla-policy-document.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { HOUR, MIN, TestClock, makeServices, makeUser, makeWorld } from '../helpers/factories.ts';

const target = (i: { targets: { kind: string }[] }, kind: string) => {
  const t = i.targets.find((x) => x.kind === kind);
  if (!t) throw new Error(`no ${kind} target`);
  return t as (typeof i.targets)[number] & { dueAt: number | null; state: string; metAt: number | null; atRiskAt: number | null; paused: boolean; excluded: boolean };
};

async function rejects(p: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(code);
    return e as AppError;
  }
  throw new Error(`expected ${code}`);
}

for (const dialect of testDialects) {
  describe(`incidents on ${dialect}`, () => {
    const t = useTestDb(dialect);

    it('an urgent phone call starts its 24/7 clocks when logged: 10 minutes to start, 8 hours to resolve', async () => {
      const clock = new TestClock(Date.parse('2026-04-04T23:00:00+09:00')); // Saturday night
      const w = await makeWorld(t.db, clock);
      const inc = await w.s.incidents.create(w.agent, {
        contractId: w.contract.id, title: 'サーバーダウン', channel: 'phone', category: 'outage', priority: 'urgent',
        receivedAt: clock.now - 2 * MIN, reporter: { contactId: w.primary.id },
      });
      expect(inc.status).toBe('recognized');
      expect(inc.receivedAt).toBe(clock.now - 2 * MIN);
      expect(inc.recognizedAt).toBe(clock.now);
      expect(inc.notViaDesignatedContact).toBe(false);
      expect(target(inc, 'start').dueAt).toBe(clock.now + 10 * MIN);
      expect(target(inc, 'resolve').dueAt).toBe(clock.now + 8 * HOUR);
      expect(target(inc, 'start').state).toBe('ok');
      expect(inc.slaPolicyVersion).toBe(w.contract.slaPolicyVersion);

      clock.advance(8 * MIN);
      expect(target(await w.s.incidents.get(w.agent, inc.id), 'start').state).toBe('atRisk');
      clock.advance(1 * MIN);
      const started = await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      expect(started.startedAt).toBe(clock.now);
      expect(target(started, 'start').state).toBe('met');
      clock.advance(HOUR);
      expect(target(await w.s.incidents.get(w.agent, inc.id), 'start').state).toBe('met');
      const n = (await w.s.incidents.list(w.agent, { contractId: w.contract.id })).length;
      expect(n).toBe(1);
      const minor = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '軽微', channel: 'web', priority: 'minor' });
      const urgent2 = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '緊急2', channel: 'phone', priority: 'urgent' });
      const byDeadline = await w.s.incidents.list(w.agent, { contractId: w.contract.id, sort: 'deadline' });
      expect(byDeadline.map((i) => i.id)).toEqual([urgent2.id, inc.id, minor.id]);
    });

    it('an important incident counts business time and resolves by the end of the next business day after work started', async () => {
      const clock = new TestClock(Date.parse('2026-04-06T15:00:00+09:00')); // Monday 15:00 JST
      const w = await makeWorld(t.db, clock);
      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '帳票が出ない', channel: 'web', category: 'bug', priority: 'important' });
      expect(target(inc, 'start').dueAt).toBe(Date.parse('2026-04-07T15:00:00+09:00'));
      expect(target(inc, 'resolve').state).toBe('pending');
      expect(target(inc, 'resolve').dueAt).toBeNull();
      clock.set('2026-04-07T10:00:00+09:00');
      const started = await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      expect(target(started, 'resolve').dueAt).toBe(Date.parse('2026-04-08T18:00:00+09:00'));
      const exp = await w.s.incidents.explain(w.agent, inc.id, 'start');
      expect(exp.totalSeconds).toBe(540 * 60);
      expect(exp.counted.map((c) => [c.from, c.to])).toEqual([
        ["2026-04-06T15:00:00+09:00", "2026-04-06T18:00:00+09:00"],
        ["2026-04-07T09:00:00+09:00", "2026-04-07T15:00:00+09:00"],
      ]);
    });

    it('waiting for the client pauses the resolution clock; each pause is recorded with who and when', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'ログイン不可', channel: 'phone', category: 'outage', priority: 'urgent' });
      const due = target(inc, 'resolve').dueAt!;
      clock.advance(5 * MIN);
      await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      clock.advance(HOUR);
      const waiting = await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'waiting_for_client', reason: 'ログの提供待ち' });
      expect(target(waiting, 'resolve').paused).toBe(true);
      expect(target(waiting, 'start').paused).toBe(false);
      expect(waiting.pauses).toHaveLength(1);
      expect(waiting.pauses[0]).toMatchObject({ startedAt: clock.now, endedAt: null, startedBy: w.agent.userId, reason: 'ログの提供待ち' });
      clock.advance(2 * HOUR);
      // While paused, the shown deadline moves with the pause.
      expect(target(await w.s.incidents.get(w.agent, inc.id), 'resolve').dueAt).toBe(due + 2 * HOUR);
      // The contact's reply resumes the clock.
      const replied = await w.s.incidents.addComment(w.contactUser, inc.id, { body: 'ログを添付しました' });
      expect(replied.status).toBe('in_progress');
      expect(replied.pauses[0]).toMatchObject({ endedAt: clock.now, endedBy: w.contactUser.userId });
      expect(target(replied, 'resolve').dueAt).toBe(due + 2 * HOUR);
      expect(target(replied, 'resolve').paused).toBe(false);
    });

    it('a priority change re-derives deadlines from the same clock start and records who and why', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '動作が遅い', channel: 'api', category: 'bug', priority: 'minor' });
      const start = inc.recognizedAt!;
      expect(target(inc, 'propose').dueAt).toBe(start + 7 * 24 * HOUR);
      clock.advance(3 * MIN);
      await rejects(w.s.incidents.changePriority(w.agent, inc.id, { priority: 'urgent', reason: '' }), 'incident.invalid');
      const up = await w.s.incidents.changePriority(w.agent, inc.id, { priority: 'urgent', reason: '全社で業務停止' });
      expect(up.priority).toBe('urgent');
      expect(up.targets.map((x) => x.kind).sort()).toEqual(['resolve', 'start']);
      expect(target(up, 'start').dueAt).toBe(start + 10 * MIN);
      expect(target(up, 'resolve').dueAt).toBe(start + 8 * HOUR);
      const ev = up.timeline.find((e) => e.kind === 'priority')!;
      expect(ev).toMatchObject({ authorId: w.agent.userId, body: '全社で業務停止', data: { from: 'minor', to: 'urgent' } });
      const audit = await w.s.audit.list(SYSTEM_ACTOR, { entity: 'incident', entityId: inc.id });
      expect(audit.map((a) => a.action)).toEqual(['priority', 'create']);
      expect(audit[0]!.actorId).toBe(w.agent.userId);
    });

    it('out-of-scope incidents stay recorded but are excluded from SLA and schedule no timers', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'Excelの使い方', channel: 'phone', category: 'inquiry', priority: 'minor' });
      expect(inc.nextTimerAt).not.toBeNull();
      const out = await w.s.incidents.changeScope(w.agent, inc.id, { inScope: false, reason: '操作方法の質問', billable: true });
      expect(out).toMatchObject({ inScope: false, outOfScopeReason: '操作方法の質問', billable: true, nextTimerAt: null });
      expect(out.targets.every((x) => x.excluded)).toBe(true);
      const jobs = await t.db.selectFrom('jobs').select('id').where('dedupeKey', 'like', `sla:${inc.id}:%`).where('status', '=', 'pending').execute();
      expect(jobs).toHaveLength(0);
    });

    it('contacts file into new, see only their own client, never internal notes; strangers are flagged', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const a = await makeWorld(t.db, clock, 'A社');
      const b = await makeWorld(t.db, clock, 'B社');
      const filed = await a.s.incidents.create(a.contactUser, { contractId: a.contract.id, title: '画面が真っ白', channel: 'web', priority: 'urgent' });
      expect(filed).toMatchObject({ status: 'new', recognizedAt: null, priority: 'important', suggestedPriority: 'urgent', notViaDesignatedContact: false });
      expect(filed.reporter.contactId).toBe(a.primary.id);
      expect(filed.targets.every((x) => x.state === 'pending')).toBe(true);
      await rejects(b.s.incidents.get(b.contactUser, filed.id), 'incident.not_found');
      await rejects(b.s.incidents.create(b.contactUser, { contractId: a.contract.id, title: 'x', channel: 'web' }), 'contract.not_found');
      expect(await b.s.incidents.list(b.contactUser)).toEqual([]);
      await rejects(a.s.incidents.changeStatus(a.contactUser, filed.id, { to: 'recognized' }), 'auth.forbidden');

      await a.s.incidents.addComment(a.agent, filed.id, { body: '社内メモ', internal: true });
      clock.advance(7 * MIN);
      // The contact opening it again changes nothing; the first agent read recognizes it, once.
      expect((await a.s.incidents.open(a.contactUser, filed.id)).status).toBe('new');
      const rec = await a.s.incidents.open(a.agent, filed.id);
      expect(rec.status).toBe('recognized');
      expect(rec.recognizedAt).toBe(clock.now);
      clock.advance(MIN);
      expect((await a.s.incidents.open(a.agent, filed.id)).recognizedAt).toBe(clock.now - MIN);
      expect(target(rec, 'start').dueAt).toBe(Date.parse('2026-04-09T10:07:00+09:00'));
      const seen = await a.s.incidents.get(a.contactUser, filed.id);
      expect(seen.timeline.some((e) => e.kind === 'note')).toBe(false);
      expect((await a.s.incidents.get(a.agent, filed.id)).timeline.some((e) => e.kind === 'note')).toBe(true);

      const stranger = await makeUser(t.db, 'contact', a.client.id);
      const fromStranger = await a.s.incidents.create(stranger, { contractId: a.contract.id, title: '問合せ', channel: 'web' });
      expect(fromStranger.notViaDesignatedContact).toBe(true);
      const byPhone = await a.s.incidents.create(a.agent, { contractId: a.contract.id, title: '電話', channel: 'phone', reporter: { name: '誰か', email: 'someone@else.test' } });
      expect(byPhone.notViaDesignatedContact).toBe(true);
      const byDeputy = await a.s.incidents.create(a.agent, { contractId: a.contract.id, title: '電話', channel: 'phone', reporter: { email: a.deputy.email } });
      expect(byDeputy).toMatchObject({ notViaDesignatedContact: false, reporter: { contactId: a.deputy.id } });
    });

    it('resolving needs the cause, fix and course of events; closing and reopening follow the lifecycle', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'バッチ失敗', channel: 'phone', priority: 'urgent' });
      const err = await rejects(w.s.incidents.changeStatus(w.agent, inc.id, { to: 'resolved' }), 'incident.resolution_required');
      expect(err.issues.map((i) => i.path.join('.'))).toEqual(['resolution.cause', 'resolution.fix', 'resolution.course']);
      await rejects(w.s.incidents.changeStatus(w.agent, inc.id, { to: 'closed' }), 'incident.invalid_transition');
      clock.advance(30 * MIN);
      const resolved = await w.s.incidents.changeStatus(w.agent, inc.id, {
        to: 'resolved', resolution: { cause: 'ディスク満杯', fix: 'ログ削除', course: '10:05 着手、10:30 復旧' },
      });
      expect(resolved.resolution).toEqual({ cause: 'ディスク満杯', fix: 'ログ削除', course: '10:05 着手、10:30 復旧' });
      expect(target(resolved, 'start').state).toBe('metLate');
      expect(target(resolved, 'resolve').state).toBe('met');
      expect(resolved.nextTimerAt).toBeNull();
      const closed = await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'closed' });
      expect(closed.closedAt).toBe(clock.now);
      clock.advance(HOUR);
      const reopened = await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress', reason: '再発' });
      expect(reopened).toMatchObject({ status: 'in_progress', resolvedAt: null, closedAt: null });
      expect(target(reopened, 'resolve').state).toBe('ok');
      expect(reopened.timeline.some((e) => e.kind === 'reopen')).toBe(true);
    });

    it('a policy revision creates a new version; open incidents keep the one they were opened under', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const policy = await w.s.policies.create(SYSTEM_ACTOR, { name: 'Gold', establishedOn: '2026-01-01', document: STANDARD_POLICY });
      const contract = await w.s.contracts.update(SYSTEM_ACTOR, w.contract.id, { slaPolicyId: policy.id });
      expect(contract.slaPolicyVersion).toBe(1);
      const before = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'v1', channel: 'phone', priority: 'urgent' });
      const doc = structuredClone(STANDARD_POLICY);
      doc.priorities.urgent.start = { from: 'recognized', clock: { kind: 'calendar', minutes: 5 } };
      const revised = await w.s.policies.revise(SYSTEM_ACTOR, policy.id, { document: doc, revisedOn: '2026-04-08', note: '着手5分' });
      expect(revised.currentVersion).toBe(2);
      expect(revised.versions.map((v) => v.revisedOn)).toEqual(['2026-01-01', '2026-04-08']);
      expect((await w.s.contracts.get(SYSTEM_ACTOR, w.contract.id)).slaPolicyVersion).toBe(2);
      const after = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: 'v2', channel: 'phone', priority: 'urgent' });
      expect(target(after, 'start').dueAt).toBe(clock.now + 5 * MIN);
      const old = await w.s.incidents.get(w.agent, before.id);
      expect(old.slaPolicyVersion).toBe(1);
      expect(target(old, 'start').dueAt).toBe(clock.now + 10 * MIN);
      const bad = await rejects(w.s.policies.revise(SYSTEM_ACTOR, policy.id, { document: { priorities: {} }, revisedOn: '2026-04-09' }), 'sla_policy.invalid_document');
      expect(bad.issues.length).toBeGreaterThanOrEqual(3);
      expect((await w.s.policies.get(SYSTEM_ACTOR, policy.id)).currentVersion).toBe(2);
    });

    it('concurrent changes of one incident apply one after the other: one pause, nothing lost', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      // PostgreSQL: a second pool, like a second app process. SQLite: one handle (better-sqlite3
      // is synchronous, so a second handle in the same process would only meet SQLITE_BUSY).
      const other = makeServices(dialect === 'postgres' ? t.openAnother().db : t.db, clock.fn);
      const inc = await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '同時更新', channel: 'phone', priority: 'urgent' });
      await w.s.incidents.changeStatus(w.agent, inc.id, { to: 'in_progress' });
      const results = await Promise.allSettled([
        w.s.incidents.changeStatus(w.agent, inc.id, { to: 'waiting_for_client', reason: 'A' }),
        other.incidents.changeStatus(w.agent, inc.id, { to: 'waiting_for_client', reason: 'B' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((failed.reason as AppError).code).toBe('incident.invalid_transition');
      const after = await w.s.incidents.get(w.agent, inc.id);
      expect(after.pauses).toHaveLength(1);
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? w.s : other).incidents.addComment(w.agent, inc.id, { body: `note ${i}`, internal: true })));
      expect((await w.s.incidents.get(w.agent, inc.id)).timeline.filter((e) => e.kind === 'note')).toHaveLength(10);
    });

    it('bad contract input lists every issue and changes nothing', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const w = await makeWorld(t.db, clock);
      const other = await makeWorld(t.db, clock, 'Other');
      const count = async () => (await w.s.contracts.list(SYSTEM_ACTOR)).length;
      const n = await count();
      const err = await rejects(w.s.contracts.create(SYSTEM_ACTOR, {
        clientId: w.client.id, name: ' ', startsOn: '2026-13', systemIds: [other.system.id], primaryContactId: other.primary.id,
        backupWindow: { start: '2:00', end: '04:00' },
      }), 'contract.invalid');
      expect(err.issues.map((i) => i.path.join('.')).sort()).toEqual(['backupWindow', 'name', 'primaryContactId', 'startsOn', 'systemIds.0']);
      expect(await count()).toBe(n);
    });
  });
}
