/**
 * A command on an incident answers with the incident's detail as the command left it —
 * built from the rows the command itself stored (incident.writes.ts `takeLeft`), not read
 * back. Walks every kind of change, as staff and as the client's contact, on both dialects,
 * and after each compares the answer with a GET of the same incident at the same instant:
 * status, targets (due, at-risk, met, state, paused), paused intervals, fields, timeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

// Wednesday 2026-04-01 10:00 in Tokyo.
const T0 = Date.parse('2026-04-01T10:00:00+09:00');
const MIN = 60_000;

for (const dialect of testDialects) {
  describe(`a command's answer is the incident as a read right after shows it (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    /** Sends the command at `at`, then reads the incident at the same instant; both must agree. */
    async function step(who: Caller, at: number, method: 'POST' | 'PATCH', url: string, payload: object, id: string, status = 200) {
      clock.set(at);
      const r = await call(app, who, { method, url, payload });
      expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(status);
      const read = await call(app, who, { method: 'GET', url: `/api/v1/incidents/${id}` });
      expect(read.statusCode).toBe(200);
      expect(r.json(), `${method} ${url}`).toEqual(read.json());
      return r.json() as { status: string; targets: Array<{ kind: string; state: string; paused: boolean; dueAt: string | null }>; timeline: unknown[] };
    }

    it('every change, by staff and by the contact', async () => {
      clock.set(T0);
      const created = await call(app, w.contactA, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: '請求書が出力できない', priority: 'important' } });
      expect(created.statusCode).toBe(201);
      const id = (created.json() as { id: string }).id;
      const on = (path: string) => `/api/v1/incidents/${id}${path}`;

      await step(w.agent, T0 + 5 * MIN, 'POST', on('/open'), {}, id);
      await step(w.agent, T0 + 6 * MIN, 'PATCH', on(''), { title: '請求書 PDF が出力できない', category: 'bug', description: '月末締めの請求書' }, id);
      await step(w.agent, T0 + 7 * MIN, 'POST', on('/assign'), { assigneeId: w.agent.userId }, id);
      const started = await step(w.agent, T0 + 20 * MIN, 'POST', on('/start'), {}, id);
      expect(started.targets.find((x) => x.kind === 'start')?.state).toMatch(/met/);
      const waiting = await step(w.agent, T0 + 60 * MIN, 'POST', on('/wait'), { reason: 'ログをお送りください' }, id);
      expect(waiting.targets.find((x) => x.kind === 'resolve')?.paused).toBe(true);
      // Reads while paused move the deadline with "now": the answer and the read share the instant.
      await step(w.agent, T0 + 70 * MIN, 'POST', on('/messages'), { body: '社内メモ', visibility: 'internal' }, id, 201);
      // The contact's reply resumes the clock; the contact's own view (no internal notes) must match too.
      const resumed = await step(w.contactA, T0 + 90 * MIN, 'POST', on('/messages'), { body: 'ログを添付しました' }, id, 201);
      expect(resumed.status).toBe('in_progress');
      await step(w.agent, T0 + 100 * MIN, 'POST', on('/priority'), { priority: 'urgent', reason: '月末処理に影響' }, id);
      await step(w.agent, T0 + 110 * MIN, 'POST', on('/scope'), { inScope: false, reason: '仕様変更の依頼', billable: true }, id);
      await step(w.agent, T0 + 111 * MIN, 'POST', on('/scope'), { inScope: true }, id);
      await step(w.agent, T0 + 120 * MIN, 'POST', on('/propose'), { message: '設定の変更で解消します' }, id);
      await step(w.agent, T0 + 130 * MIN, 'POST', on('/resolve'), { cause: 'フォント設定', fix: '設定を修正', courseOfEvents: '調査の上修正' }, id);
      await step(w.agent, T0 + 140 * MIN, 'POST', on('/reopen'), { reason: '再発しました' }, id);
      await step(w.agent, T0 + 150 * MIN, 'POST', on('/resolve'), { cause: 'フォント設定', fix: '再設定', courseOfEvents: '再調査' }, id);
      const closed = await step(w.agent, T0 + 160 * MIN, 'POST', on('/close'), {}, id);
      expect(closed.status).toBe('closed');
      // A command that changes nothing (priority already urgent) reads the incident back and still agrees.
      await step(w.agent, T0 + 170 * MIN, 'POST', on('/priority'), { priority: 'urgent', reason: '変更なし' }, id);
    });
  });
}
