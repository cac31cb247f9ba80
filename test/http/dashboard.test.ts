/**
 * The live dashboard (issue 12): the agent sees every client's open incidents per SLA
 * state and priority, what breaches next, a breach as soon as it happens (no write needed:
 * the answer is computed at "now"), last month's breaches and attainment counted as the
 * report counts them, and the systems down now; a contact sees only their own client's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

const MIN = 60_000;

interface Board {
  open: { total: number; byState: Record<string, number>; byPriority: Record<string, Record<string, number>> };
  atRisk: { number: number; kind: string; state: string; msLeft: number; contractId: string }[];
  breaches: { thisMonth: { month: string; total: number; byPriority: Record<string, number> }; lastMonth: { month: string; total: number; byPriority: Record<string, number> } };
  trend: { month: string; met: number; metLate: number; breached: number; rate: number | null }[];
  systemsDown: { systemName: string; contractId: string }[];
  noticesDue: unknown[];
  charts: { open: string; breaches: string; trend: string };
}

for (const dialect of testDialects) {
  describe(`dashboard (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-03-01T00:00:00Z'));
    let app: FastifyInstance;
    let w: World;

    const post = async (who: Caller, url: string, payload: object = {}) => {
      const r = await call(app, who, { method: 'POST', url, payload });
      if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
      return r.json() as { id: string; number: number };
    };
    const board = async (who: Caller, query = '') => {
      const r = await call(app, who, { method: 'GET', url: `/api/v1/dashboard${query}` });
      return { status: r.statusCode, body: r.json() as Board & { code?: string } };
    };

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      // March: an urgent incident of A started on time (met) and resolved an hour late (met late, a breach of March).
      clock.set(Date.parse('2026-03-20T10:00:00+09:00'));
      const march = await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '3月の障害', priority: 'urgent', category: 'outage' });
      clock.advance(5 * MIN);
      await post(w.agent, `/api/v1/incidents/${march.id}/start`);
      clock.advance(9 * 60 * MIN);
      await post(w.agent, `/api/v1/incidents/${march.id}/resolve`, { cause: '原因', fix: '対処', courseOfEvents: '経緯' });
      // April: one urgent incident of A, one important of B, still open.
      clock.set(Date.parse('2026-04-15T10:00:00+09:00'));
      await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: 'A 受注画面が開かない', priority: 'urgent', category: 'outage' });
      await post(w.agent, '/api/v1/incidents', { contractId: w.b.contractId, title: 'B 帳票の崩れ', priority: 'important', category: 'bug' });
    });
    afterAll(async () => app?.close());

    it('shows the agent every open incident per state and priority, the next deadline first, and the charts', async () => {
      const { status, body } = await board(w.agent, '?lang=ja');
      expect(status).toBe(200);
      expect(body.open.total).toBe(2);
      expect(body.open.byState).toMatchObject({ ok: 2, breached: 0 });
      expect(body.open.byPriority.urgent!.ok).toBe(1);
      expect(body.atRisk[0]).toMatchObject({ kind: 'start', state: 'ok', msLeft: 10 * MIN, contractId: w.a.contractId });
      expect(body.breaches.thisMonth).toMatchObject({ month: '2026-04', total: 0 });
      expect(body.breaches.lastMonth).toMatchObject({ month: '2026-03', total: 1, byPriority: { urgent: 1, important: 0, minor: 0 } });
      expect(body.trend.map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04']);
      expect(body.trend[4]).toMatchObject({ met: 1, metLate: 1, breached: 0, rate: 0.5 });
      for (const svg of Object.values(body.charts)) expect(svg).toMatch(/^<svg role="img"/);
      expect(body.charts.trend).toContain('SLA達成率');
      // Months in words: the year where the axis starts or turns, and the month series named as people name them.
      for (const tick of ['>2025年11月<', '>12月<', '>2026年1月<', '>4月<']) expect(body.charts.trend).toContain(tick);
      expect(body.charts.trend).not.toContain('2026-0');
      expect(body.charts.breaches).toContain('先月 2026年3月');
    });

    it('shows a breach the moment it happens, without any write', async () => {
      clock.advance(11 * MIN);
      const { body } = await board(w.agent);
      expect(body.open.byState.breached).toBe(1);
      expect(body.open.byPriority.urgent!.breached).toBe(1);
      expect(body.breaches.thisMonth).toMatchObject({ total: 1, byPriority: { urgent: 1 } });
      // The breached start target is no longer "next": A's resolution (8 h) and B's start are.
      expect(body.atRisk.some((x) => x.contractId === w.a.contractId && x.kind === 'start')).toBe(false);
      expect(body.atRisk.map((x) => x.kind).sort()).toEqual(['resolve', 'start']);
    });

    it('shows systems down now', async () => {
      const monitor = await post(w.agent, '/api/v1/monitors', { contractId: w.a.contractId, systemId: w.a.systemId, name: 'A web', kind: 'tcp', host: '127.0.0.1', port: 9, enabled: false });
      const at = clock() - 5 * MIN;
      await t.db.insertInto('outages').values({
        id: uuidv7(), monitorId: monitor.id, contractId: w.a.contractId, clientId: w.a.clientId, systemId: w.a.systemId,
        startedAt: at, confirmedAt: at, endedAt: null, muted: 1, incidentId: null, createdAt: at, updatedAt: at, endedBy: null, endReason: null,
      }).execute();
      const { body } = await board(w.agent);
      expect(body.systemsDown).toEqual([expect.objectContaining({ systemName: 'Client A 販売管理', contractId: w.a.contractId })]);
    });

    it('shows maintenance of the next 7 days and, to staff, the notices still to send', async () => {
      const draftA = await post(w.agent, '/api/v1/maintenance', {
        contractId: w.a.contractId, title: 'A サーバー更新', startsAt: '2026-04-21T02:00:00+09:00', endsAt: '2026-04-21T04:00:00+09:00',
      });
      await post(w.agent, '/api/v1/maintenance', {
        contractId: w.b.contractId, title: 'B OS更新', startsAt: '2026-04-20T02:00:00+09:00', endsAt: '2026-04-20T03:00:00+09:00', announce: true,
      });
      const agent = (await board(w.agent)).body as Board & { maintenance: { title: string; status: string }[]; noticesDue: { windowId: string; late: boolean }[] };
      expect(agent.maintenance.map((m) => [m.title, m.status])).toEqual([['B OS更新', 'announced'], ['A サーバー更新', 'draft']]);
      expect(agent.noticesDue).toEqual([expect.objectContaining({ windowId: draftA.id, late: false })]);
      const a = (await board(w.contactA)).body as Board & { maintenance: unknown[] };
      expect([a.maintenance, a.noticesDue]).toEqual([[], []]);
      const b = (await board(w.contactB)).body as Board & { maintenance: { title: string }[] };
      expect(b.maintenance.map((m) => m.title)).toEqual(['B OS更新']);
    });

    it('shows a contact only their own client\'s contracts', async () => {
      const a = await board(w.contactA, '?lang=en');
      expect(a.status).toBe(200);
      expect(a.body.open.total).toBe(1);
      expect(a.body.open.byState.breached).toBe(1);
      expect(a.body.breaches.lastMonth.total).toBe(1);
      expect(a.body.systemsDown).toHaveLength(1);
      expect(a.body.noticesDue).toEqual([]);
      expect(a.body.charts.trend).toContain('SLA attainment per month');
      expect(a.body.charts.trend).toContain('>Nov 2025<');
      // The chart's labels read like the table beside it ("Urgent", "Waiting for client"), not the lower-case words of sentences.
      for (const s of ['Urgent', 'Minor', 'Breached', 'On time', 'Waiting for client']) expect(a.body.charts.open).toContain(s);
      expect(a.body.charts.open).not.toMatch(/>urgent<|>on track</);
      const b = await board(w.contactB);
      expect(b.body.open.total).toBe(1);
      expect(b.body.open.byState.breached).toBe(0);
      expect(b.body.breaches.lastMonth.total).toBe(0);
      expect(b.body.systemsDown).toEqual([]);
      expect(JSON.stringify(b.body)).not.toContain('受注画面');
      // One contract: their own, or not found.
      expect((await board(w.contactA, `?contractId=${w.a.contractId}`)).body.open.total).toBe(1);
      const other = await board(w.contactA, `?contractId=${w.b.contractId}`);
      expect([other.status, other.body.code]).toEqual([404, 'contract.not_found']);
      expect((await board(w.anonymous)).status).toBe(401);
    });
  });
}
