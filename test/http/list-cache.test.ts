/**
 * The incident list is served from an exact cache on SQLite (read-cache.ts). These
 * tests read the same list again and again and check that it never goes stale:
 * not when time alone moves an SLA state, not while a stopped clock's deadline
 * moves, not after a write through the desk or from another connection, and never
 * across clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp } from './helpers.ts';
import { buildWorld, type World } from './world.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';

// Wednesday 2026-04-01 10:00 in Tokyo.
const T0 = Date.parse('2026-04-01T10:00:00+09:00');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface ListedTarget { kind: string; state: string; dueAt: string | null; paused: boolean }
interface Listed { id: string; title: string; clientId: string; targets: ListedTarget[] }

for (const dialect of testDialects) {
  describe(`incident list stays exact under caching (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    const list = async (who = w.agent, query = 'limit=20'): Promise<Listed[]> => {
      const r = await call(app, who, { method: 'GET', url: `/api/v1/incidents?${query}` });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      return (r.json() as { items: Listed[] }).items;
    };
    /** Files a phone incident as the agent; its id. */
    const file = async (contractId: string, title: string, priority?: 'urgent') => {
      const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId, title, channel: 'phone', ...(priority ? { priority } : {}) } });
      expect(r.statusCode).toBe(201);
      return (r.json() as { id: string }).id;
    };
    const target = (items: Listed[], id: string, kind: string) => items.find((i) => i.id === id)!.targets.find((x) => x.kind === kind)!;

    it('time alone moves a target from ok to at risk to breached; a write shows at once', async () => {
      clock.set(T0);
      const id = await file(w.a.contractId, '在庫画面が遅い', 'urgent');
      expect(target(await list(), id, 'start')).toMatchObject({ state: 'ok', dueAt: iso(T0 + 10 * MIN) });
      expect(target(await list(), id, 'start').state).toBe('ok'); // served again, unchanged

      clock.set(T0 + 7.5 * MIN - 1);
      expect(target(await list(), id, 'start').state).toBe('ok');
      clock.set(T0 + 7.5 * MIN); // 75 % of 10 minutes
      expect(target(await list(), id, 'start').state).toBe('atRisk');
      clock.set(T0 + 10 * MIN);
      expect(target(await list(), id, 'start').state).toBe('atRisk');
      clock.set(T0 + 10 * MIN + 1);
      expect(target(await list(), id, 'start').state).toBe('breached');

      clock.set(T0 + 12 * MIN);
      await call(app, w.agent, { method: 'POST', url: `/api/v1/incidents/${id}/start` });
      expect(target(await list(), id, 'start').state).toBe('metLate');
    });

    it('while the desk waits for the client, the listed resolution deadline moves with the clock', async () => {
      clock.set(T0);
      const id = await file(w.a.contractId, '帳票が出力されない', 'urgent');
      expect(target(await list(), id, 'resolve').dueAt).toBe(iso(T0 + 8 * 60 * MIN));
      clock.set(T0 + 60 * MIN);
      await call(app, w.agent, { method: 'POST', url: `/api/v1/incidents/${id}/start` });
      await call(app, w.agent, { method: 'POST', url: `/api/v1/incidents/${id}/wait`, payload: { reason: 'ログ待ち' } });
      expect(target(await list(), id, 'resolve')).toMatchObject({ paused: true, dueAt: iso(T0 + 8 * 60 * MIN) });
      clock.set(T0 + 90 * MIN);
      expect(target(await list(), id, 'resolve')).toMatchObject({ paused: true, dueAt: iso(T0 + 8 * 60 * MIN + 30 * MIN) });
      clock.set(T0 + 100 * MIN);
      expect(target(await list(), id, 'resolve').dueAt).toBe(iso(T0 + 8 * 60 * MIN + 40 * MIN));
    });

    it('the same query by contacts of two clients and by the desk gives three different lists', async () => {
      clock.set(T0);
      await file(w.b.contractId, 'B社の障害');
      const desk = await list(w.agent);
      const a = await list(w.contactA);
      const b = await list(w.contactB);
      expect(new Set(desk.map((i) => i.clientId))).toEqual(new Set([w.a.clientId, w.b.clientId]));
      expect(a.length).toBeGreaterThan(0);
      expect(a.every((i) => i.clientId === w.a.clientId)).toBe(true);
      expect(b.map((i) => i.title)).toEqual(['B社の障害']);
      // Read again in the other order: still apart.
      expect((await list(w.contactB)).every((i) => i.clientId === w.b.clientId)).toBe(true);
      expect((await list(w.contactA)).every((i) => i.clientId === w.a.clientId)).toBe(true);
    });

    it('open=true with only closed statuses lists nothing (not every incident)', async () => {
      clock.set(T0);
      const id = await file(w.a.contractId, '解決済みの問い合わせ');
      await call(app, w.agent, { method: 'POST', url: `/api/v1/incidents/${id}/resolve`, payload: { cause: '設定', fix: '修正', courseOfEvents: '電話で案内' } });
      expect((await list(w.agent, 'status=resolved')).map((i) => i.id)).toContain(id);
      expect(await list(w.agent, 'open=true&status=resolved')).toEqual([]);
      expect((await list(w.agent, 'open=true')).map((i) => i.id)).not.toContain(id);
    });

    it('a change committed by another connection (another process) is listed at once', async () => {
      const before = await list();
      const first = before[0]!;
      // Another process writes through its own services (as every write does: the incident row and its stored list item).
      const other = t.openAnother();
      await createServices({ db: other.db, clock }).incidents.update(SYSTEM_ACTOR, first.id, { title: '別プロセスで更新' });
      expect((await list())[0]).toMatchObject({ id: first.id, title: '別プロセスで更新' });
    });
  });
}
