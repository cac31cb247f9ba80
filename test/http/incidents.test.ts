import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

// Wednesday 2026-04-01 10:00 in Tokyo.
const T0 = Date.parse('2026-04-01T10:00:00+09:00');
const MIN = 60_000;

for (const dialect of testDialects) {
  describe(`incidents over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    const post = (who: Caller, url: string, payload: object = {}) => call(app, who, { method: 'POST', url, payload });
    const get = (who: Caller, url: string) => call(app, who, { method: 'GET', url });

    it('an urgent phone call: targets with due instants, states, policy version; walk the whole lifecycle', async () => {
      clock.set(T0);
      const r = await post(w.agent, '/api/v1/incidents', {
        contractId: w.a.contractId, systemId: w.a.systemId, title: '受注画面が開かない', channel: 'phone', category: 'outage', priority: 'urgent',
        receivedAt: new Date(T0 - 2 * MIN).toISOString(), reporter: { contactId: w.a.contactId },
      });
      expect(r.statusCode).toBe(201);
      const inc = r.json();
      expect(inc).toMatchObject({ status: 'recognized', channel: 'phone', priority: 'urgent', policy: { id: w.policyId, version: 1 }, notViaDesignatedContact: false });
      expect(inc.recognizedAt).toBe(new Date(T0).toISOString());
      const start = inc.targets.find((x: { kind: string }) => x.kind === 'start');
      const resolve = inc.targets.find((x: { kind: string }) => x.kind === 'resolve');
      expect(start).toMatchObject({ state: 'ok', dueAt: new Date(T0 + 10 * MIN).toISOString(), metAt: null, clock: 'calendar' });
      expect(resolve).toMatchObject({ state: 'ok', dueAt: new Date(T0 + 8 * 60 * MIN).toISOString() });
      const id = inc.id;

      clock.set(T0 + 12 * MIN); // start of work 2 minutes late
      const started = (await post(w.agent, `/api/v1/incidents/${id}/start`)).json();
      expect(started.status).toBe('in_progress');
      expect(started.targets.find((x: { kind: string }) => x.kind === 'start')).toMatchObject({ state: 'metLate', metAt: new Date(T0 + 12 * MIN).toISOString() });

      clock.set(T0 + 60 * MIN);
      const waiting = (await post(w.agent, `/api/v1/incidents/${id}/wait`, { reason: 'ログの提供をお願いしました' })).json();
      expect(waiting.status).toBe('waiting_for_client');
      expect(waiting.pausedIntervals).toEqual([expect.objectContaining({ from: new Date(T0 + 60 * MIN).toISOString(), to: null })]);
      expect(waiting.targets.find((x: { kind: string }) => x.kind === 'resolve').paused).toBe(true);

      clock.set(T0 + 90 * MIN);
      const resumed = (await post(w.agent, `/api/v1/incidents/${id}/resume`)).json();
      expect(resumed.pausedIntervals[0].to).toBe(new Date(T0 + 90 * MIN).toISOString());
      // The 30 paused minutes move the resolution deadline.
      expect(resumed.targets.find((x: { kind: string }) => x.kind === 'resolve').dueAt).toBe(new Date(T0 + 8 * 60 * MIN + 30 * MIN).toISOString());

      clock.set(T0 + 120 * MIN);
      const bad = await post(w.agent, `/api/v1/incidents/${id}/resolve`, { cause: '', fix: 'x' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual(['body.cause', 'body.courseOfEvents']);
      const resolved = await post(w.agent, `/api/v1/incidents/${id}/resolve`, { cause: 'ディスク満杯', fix: 'ログを退避', courseOfEvents: '10:00 受付、10:12 着手、12:00 解決' });
      expect(resolved.statusCode).toBe(200);
      expect(resolved.json()).toMatchObject({ status: 'resolved', resolution: { cause: 'ディスク満杯', fix: 'ログを退避', courseOfEvents: '10:00 受付、10:12 着手、12:00 解決' } });
      expect(resolved.json().targets.find((x: { kind: string }) => x.kind === 'resolve')).toMatchObject({ state: 'met' });

      const closed = (await post(w.agent, `/api/v1/incidents/${id}/close`)).json();
      expect(closed.status).toBe('closed');
      const wrong = await post(w.agent, `/api/v1/incidents/${id}/wait`, { reason: 'x' });
      expect(wrong.statusCode).toBe(409);
      expect(wrong.json().code).toBe('incident.invalid_transition');
      expect(wrong.json().message).toBe('障害・問合せを「完了」から「お客様回答待ち」に変更することはできません。');
      const reopened = (await post(w.agent, `/api/v1/incidents/${id}/reopen`, { reason: '再発' })).json();
      expect(reopened.status).toBe('in_progress');

      // The client sees the course of events, not internal notes.
      await post(w.agent, `/api/v1/incidents/${id}/messages`, { body: '社内メモ: 原因はバッチ', visibility: 'internal' });
      await post(w.agent, `/api/v1/incidents/${id}/messages`, { body: 'ご連絡ありがとうございます' });
      const seenByContact = (await get(w.contactA, `/api/v1/incidents/${id}`)).json();
      const bodies = seenByContact.timeline.map((e: { body: string }) => e.body);
      expect(bodies).toContain('ご連絡ありがとうございます');
      expect(bodies).not.toContain('社内メモ: 原因はバッチ');
      const seenByStaff = (await get(w.agent, `/api/v1/incidents/${id}`)).json();
      expect(seenByStaff.timeline.map((e: { body: string }) => e.body)).toContain('社内メモ: 原因はバッチ');
    });

    it('a contact files over the portal: new, not yet recognized, priority only suggested; cannot log a phone call', async () => {
      clock.set(T0 + 24 * 60 * MIN);
      const r = await post(w.contactA, '/api/v1/incidents', { contractId: w.a.contractId, title: '帳票の質問', priority: 'urgent' });
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({ status: 'new', channel: 'api', suggestedPriority: 'urgent', recognizedAt: null });
      const phone = await post(w.contactA, '/api/v1/incidents', { contractId: w.a.contractId, title: 'x', channel: 'phone' });
      expect(phone.statusCode).toBe(400);
      expect(phone.json().issues[0].path).toEqual(['body', 'channel']);
      // Filing on another client's contract: the contract "does not exist".
      const other = await post(w.contactA, '/api/v1/incidents', { contractId: w.b.contractId, title: 'x' });
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('contract.not_found');
      // Recognition starts the clocks.
      const rec = (await post(w.agent, `/api/v1/incidents/${r.json().id}/recognize`)).json();
      expect(rec.status).toBe('recognized');
      expect(rec.targets.find((x: { kind: string }) => x.kind === 'start').state).toBe('ok');
      expect((await post(w.contactA, `/api/v1/incidents/${r.json().id}/recognize`)).statusCode).toBe(403);
    });

    it('a portal inquiry is recognized when an agent opens it (once, timeline and audit), not when anyone reads it', async () => {
      clock.set(T0 + 26 * 60 * MIN);
      const filed = (await post(w.contactA, '/api/v1/incidents', { contractId: w.a.contractId, title: 'パスワード再発行の手順' })).json() as { id: string; number: number };
      const audit = async () => (await t.db.selectFrom('auditLog').select('action').where('entityId', '=', filed.id).orderBy('at').orderBy('id').execute()).map((a) => a.action);
      clock.advance(3 * MIN);
      expect((await get(w.agent, `/api/v1/incidents/${filed.id}`)).json()).toMatchObject({ status: 'new', recognizedAt: null });
      expect((await get(w.admin, `/api/v1/incidents/by-number/${filed.number}`)).json()).toMatchObject({ status: 'new', recognizedAt: null });
      // A contact's open answers as their read does, and changes nothing; another client's contact gets the 404 of a missing id.
      const byContact = await post(w.contactA, `/api/v1/incidents/${filed.id}/open`);
      expect(byContact.statusCode).toBe(200);
      expect(byContact.json()).toMatchObject({ id: filed.id, status: 'new', recognizedAt: null });
      const byOther = await post(w.contactB, `/api/v1/incidents/${filed.id}/open`);
      expect(byOther.statusCode).toBe(404);
      expect(byOther.json().code).toBe('incident.not_found');
      expect(await audit()).toEqual(['create']);

      const opened = (await post(w.agent, `/api/v1/incidents/${filed.id}/open`)).json();
      expect(opened).toMatchObject({ status: 'recognized', recognizedAt: new Date(clock()).toISOString() });
      expect(opened.targets.find((x: { kind: string }) => x.kind === 'start')).toMatchObject({ state: 'ok', clockStart: new Date(clock()).toISOString() });
      clock.advance(MIN);
      const again = (await post(w.admin, `/api/v1/incidents/${filed.id}/open`)).json();
      expect(again.recognizedAt).toBe(new Date(clock() - MIN).toISOString());
      expect(again.timeline.filter((e: { kind: string }) => e.kind === 'status').map((e: { data: unknown }) => e.data)).toEqual([{ from: 'new', to: 'recognized' }]);
      expect(await audit()).toEqual(['create', 'status']);
    });

    it('each lifecycle verb makes its own move only: start does not resume or reopen, resume does not start', async () => {
      clock.set(T0 + 28 * 60 * MIN);
      const inc = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '夜間バッチ遅延' })).json() as { id: string };
      const go = (verb: string, payload: object = {}) => post(w.agent, `/api/v1/incidents/${inc.id}/${verb}`, payload);
      const refused = async (verb: string, payload: object = {}) => {
        const r = await go(verb, payload);
        expect(r.statusCode, verb).toBe(409);
        expect(r.json().code).toBe('incident.invalid_transition');
      };
      await refused('resume');
      expect((await go('start')).statusCode).toBe(200);
      expect((await go('wait', { reason: '回答待ち' })).statusCode).toBe(200);
      await refused('start');
      await refused('reopen', { reason: 'x' });
      expect((await go('resume')).json().status).toBe('in_progress');
      expect((await go('resolve', { cause: 'c', fix: 'f', courseOfEvents: 'e' })).statusCode).toBe(200);
      await refused('start');
      await refused('resume');
      const reopened = (await go('reopen', { reason: '再発' })).json();
      expect(reopened).toMatchObject({ status: 'in_progress', resolvedAt: null });
      expect(reopened.timeline.at(-1)).toMatchObject({ kind: 'reopen', body: '再発' });
    });

    it('a bad incident lists every issue (body and query together) and stores nothing', async () => {
      const count = async () => {
        const tables = ['incidents', 'incidentTargets', 'incidentEvents', 'auditLog', 'jobs'] as const;
        const out: number[] = [];
        for (const tb of tables) out.push(Number((await t.db.selectFrom(tb).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n));
        return out;
      };
      const before = await count();
      const r = await call(app, w.agent, {
        method: 'POST', url: '/api/v1/incidents', headers: { 'accept-language': 'en' },
        payload: { contractId: 42, title: '  ', channel: 'fax', category: 'disaster', priority: 'p1', receivedAt: 'yesterday', reporter: { email: 'nope' } },
      });
      expect(r.statusCode).toBe(400);
      const paths = r.json().issues.map((i: { path: (string | number)[] }) => i.path.join('.')).sort();
      expect(paths).toEqual(['body.category', 'body.channel', 'body.contractId', 'body.priority', 'body.receivedAt', 'body.reporter.email', 'body.title']);
      // A domain rule (back-dated into the future) is reported the same way and also stores nothing.
      const future = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: 'x', receivedAt: new Date(clock() + 3600_000).toISOString() } });
      expect(future.statusCode).toBe(400);
      expect(future.json().issues.map((i: { path: (string | number)[] }) => i.path.join('.'))).toEqual(['body.receivedAt']);
      expect(await count()).toEqual(before);
    });

    it('a priority change needs a reason and re-derives deadlines from the same clock start', async () => {
      clock.set(T0 + 2 * 24 * 60 * MIN);
      const inc = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '軽微な表示崩れ', priority: 'minor', channel: 'phone' })).json();
      const noReason = await post(w.agent, `/api/v1/incidents/${inc.id}/priority`, { priority: 'urgent' });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(['body.reason']);
      clock.advance(5 * MIN);
      const up = (await post(w.agent, `/api/v1/incidents/${inc.id}/priority`, { priority: 'urgent', reason: '全社で使えない' })).json();
      expect(up.priority).toBe('urgent');
      expect(up.targets.find((x: { kind: string }) => x.kind === 'start').dueAt).toBe(new Date(Date.parse(inc.recognizedAt) + 10 * MIN).toISOString());
      const log = (await get(w.admin, `/api/v1/audit?entity=incident&entityId=${inc.id}`)).json();
      expect(log.items.map((a: { action: string }) => a.action)).toContain('priority');
    });

    it('lists with filters and keyset paging; a contact lists only their client', async () => {
      const all = (await get(w.agent, '/api/v1/incidents?limit=2')).json();
      expect(all.items).toHaveLength(2);
      expect(all.nextBefore).toBe(all.items[1].number);
      const next = (await get(w.agent, `/api/v1/incidents?limit=2&before=${all.nextBefore}`)).json();
      expect(next.items[0].number).toBeLessThan(all.nextBefore);
      for (const i of [...all.items, ...next.items]) expect(i.targets.length).toBeGreaterThan(0);
      const urgent = (await get(w.agent, '/api/v1/incidents?priority=urgent&status=in_progress,recognized')).json();
      for (const i of urgent.items) expect(i.priority).toBe('urgent');
      await post(w.agent, '/api/v1/incidents', { contractId: w.b.contractId, title: 'B社の障害', channel: 'phone' });
      const a = (await get(w.contactA, '/api/v1/incidents?limit=200')).json();
      expect(a.items.length).toBeGreaterThan(0);
      for (const i of a.items) expect(i.clientId).toBe(w.a.clientId);
      const b = (await get(w.contactB, '/api/v1/incidents')).json();
      expect(b.items.map((i: { title: string }) => i.title)).toEqual(['B社の障害']);
      const badFilter = await get(w.agent, '/api/v1/incidents?priority=huge&limit=0');
      expect(badFilter.statusCode).toBe(400);
      expect(badFilter.json().issues.map((i: { path: (string | number)[] }) => i.path.join('.')).sort()).toEqual(['query.limit', 'query.priority.0']);
    });

    it('revising the SLA policy leaves open incidents on their version; new ones follow the revision', async () => {
      clock.set(Date.parse('2026-04-08T10:00:00+09:00'));
      const before = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '改訂前', priority: 'urgent', channel: 'phone' })).json();
      const startDue = (i: { targets: Array<{ kind: string; dueAt: string }> }) => i.targets.find((x) => x.kind === 'start')!.dueAt;
      expect(before.policy.version).toBe(1);
      const policy = (await get(w.admin, `/api/v1/sla-policies/${w.policyId}`)).json();
      const doc = structuredClone(policy.document);
      doc.priorities.urgent.start.clock = { kind: 'calendar', minutes: 30 };
      const revised = await post(w.admin, `/api/v1/sla-policies/${w.policyId}/versions`, { document: doc, revisedOn: '2026-04-08', note: '着手 30 分に変更' });
      expect(revised.statusCode).toBe(201);
      expect(revised.json().currentVersion).toBe(2);
      expect(revised.json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      clock.advance(MIN);
      const after = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '改訂後', priority: 'urgent', channel: 'phone' })).json();
      expect(after.policy.version).toBe(2);
      expect(startDue(after)).toBe(new Date(clock() + 30 * MIN).toISOString());
      const again = (await get(w.agent, `/api/v1/incidents/${before.id}`)).json();
      expect(again.policy.version).toBe(1);
      expect(startDue(again)).toBe(startDue(before));
      // A priority change on the old incident still uses version 1's targets.
      const re = (await post(w.agent, `/api/v1/incidents/${before.id}/priority`, { priority: 'minor', reason: '影響は限定的' })).json();
      expect(re.policy.version).toBe(1);
      const back = (await post(w.agent, `/api/v1/incidents/${before.id}/priority`, { priority: 'urgent', reason: 'やはり緊急' })).json();
      expect(startDue(back)).toBe(startDue(before));
    });

    it('out of scope: kept and answered, but excluded from SLA attainment; reporters outside the designated contacts are flagged', async () => {
      clock.set(Date.parse('2026-04-09T10:00:00+09:00'));
      const inc = (await post(w.agent, '/api/v1/incidents', {
        contractId: w.a.contractId, title: 'PC の印刷設定', channel: 'phone', category: 'inquiry', priority: 'minor',
        reporter: { name: '経理部 佐藤', email: 'sato@client-a.example' },
      })).json();
      expect(inc.notViaDesignatedContact).toBe(true);
      expect(inc.targets.every((x: { excluded: boolean }) => !x.excluded)).toBe(true);
      const out = (await post(w.agent, `/api/v1/incidents/${inc.id}/scope`, { inScope: false, reason: 'PC 固有の問題', billable: true })).json();
      expect(out).toMatchObject({ inScope: false, outOfScopeReason: 'PC 固有の問題', billable: true });
      expect(out.targets.length).toBeGreaterThan(0);
      expect(out.targets.every((x: { excluded: boolean }) => x.excluded)).toBe(true);
      const viaDesk = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '窓口から', channel: 'phone', reporter: { contactId: w.a.contactId } })).json();
      expect(viaDesk.notViaDesignatedContact).toBe(false);
    });

    it("the client's reply resumes a clock paused while waiting for them; a contact cannot post internal notes", async () => {
      clock.set(Date.parse('2026-04-10T10:00:00+09:00'));
      const inc = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: 'ログ待ち', channel: 'phone', priority: 'urgent' })).json();
      await post(w.agent, `/api/v1/incidents/${inc.id}/start`);
      clock.advance(10 * MIN);
      const waiting = (await post(w.agent, `/api/v1/incidents/${inc.id}/wait`, { reason: 'ログをお送りください' })).json();
      expect(waiting.status).toBe('waiting_for_client');
      clock.advance(20 * MIN);
      const note = await post(w.contactA, `/api/v1/incidents/${inc.id}/messages`, { body: '内部メモのつもり', visibility: 'internal' });
      expect(note.statusCode).toBe(403);
      const reply = await post(w.contactA, `/api/v1/incidents/${inc.id}/messages`, { body: 'ログを添付しました' });
      expect(reply.statusCode).toBe(201);
      expect(reply.json().status).toBe('in_progress');
      expect(reply.json().pausedIntervals).toEqual([expect.objectContaining({ from: new Date(clock() - 20 * MIN).toISOString(), to: new Date(clock()).toISOString() })]);
      const resolve = reply.json().targets.find((x: { kind: string }) => x.kind === 'resolve');
      expect(resolve.dueAt).toBe(new Date(Date.parse(inc.recognizedAt) + 8 * 60 * MIN + 20 * MIN).toISOString());
    });

    it('explains a deadline with the calendar intervals it counted', async () => {
      clock.set(Date.parse('2026-04-03T17:00:00+09:00')); // Friday 17:00
      const inc = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '重要', priority: 'important', channel: 'phone' })).json();
      const r = await get(w.agent, `/api/v1/incidents/${inc.id}/targets/start/explanation`);
      expect(r.statusCode).toBe(200);
      // 1 business day from Friday 17:00 = Monday 17:00 (Tokyo); counted Fri 17–18 and Mon 09–17.
      expect(r.json().dueAt).toBe(new Date('2026-04-06T17:00:00+09:00').toISOString());
      expect(r.json().counted.length).toBe(2);
      expect((await get(w.contactB, `/api/v1/incidents/${inc.id}/targets/start/explanation`)).statusCode).toBe(404);
    });

    it('assigning an incident to a client\'s contact is refused with a coded error, in Japanese and in English', async () => {
      const inc = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '担当者テスト', channel: 'phone' })).json();
      const ja = await post(w.agent, `/api/v1/incidents/${inc.id}/assign`, { assigneeId: w.contactA.userId });
      expect(ja.statusCode).toBe(400);
      expect(ja.json()).toEqual({
        code: 'incident.assignee_not_staff',
        message: '担当者にできるのは保守ベンダー側のユーザー（管理者・担当者）だけです。顧客の窓口担当者には割り当てられません。',
        issues: [{ path: ['body', 'assigneeId'], code: 'not_staff', message: '担当者にできるのは保守ベンダー側のユーザー（管理者・担当者）だけです。' }],
      });
      const en = await call(app, w.agent, { method: 'POST', url: `/api/v1/incidents/${inc.id}/assign`, payload: { assigneeId: w.contactA.userId }, headers: { 'accept-language': 'en' } });
      expect(en.json()).toMatchObject({ code: 'incident.assignee_not_staff', message: "Only vendor users (admins and agents) can be assigned; a client's contact cannot." });
      expect(en.json().issues[0]).toMatchObject({ code: 'not_staff', message: 'Only vendor users (admins and agents) can be assigned.' });
      // Nor at filing time; the incident stays unassigned, and an agent can still be assigned.
      const filed = await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: 'x', channel: 'phone', assigneeId: w.contactA.userId });
      expect(filed.json()).toMatchObject({ code: 'incident.assignee_not_staff', issues: [{ path: ['body', 'assigneeId'], code: 'not_staff' }] });
      expect((await get(w.agent, `/api/v1/incidents/${inc.id}`)).json().assigneeId).toBeNull();
      const ok = await post(w.agent, `/api/v1/incidents/${inc.id}/assign`, { assigneeId: w.agent.userId });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().assigneeId).toBe(w.agent.userId);
    });

    it('service issue messages follow Accept-Language and keep their code and path', async () => {
      const body = { contractId: w.a.contractId, title: '未来の着信', channel: 'phone', receivedAt: new Date(clock() + 60 * MIN).toISOString() };
      const ja = await post(w.agent, '/api/v1/incidents', body);
      expect(ja.statusCode).toBe(400);
      expect(ja.json().issues).toEqual(expect.arrayContaining([
        { path: ['body', 'receivedAt'], code: 'invalid', message: '未来の日時は指定できません。' },
      ]));
      const en = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: body, headers: { 'accept-language': 'en' } });
      expect(en.json().issues).toEqual(expect.arrayContaining([{ path: ['body', 'receivedAt'], code: 'invalid', message: 'Must not be in the future.' }]));
    });
  });
}
