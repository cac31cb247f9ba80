/**
 * Health checks against real HTTP and TCP servers on loopback that the test
 * stops and starts, through the job table and the real incident service:
 * N failures confirm one outage dated from the first failure and open exactly
 * one urgent incident (outage, monitoring, 24/7 clock); M successes recover it
 * and the incident records it; flapping while it is open opens no new one;
 * alerts are muted during maintenance; two runners check each monitor once;
 * availability and the status page show the downtime.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { CHECK_DOWN, CHECK_UNKNOWN } from '../../src/core/availability/index.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { classifyError, performCheck } from '../../src/modules/monitoring/monitoring.checker.ts';
import { createMonitoringJobHandlers } from '../../src/modules/monitoring/monitoring.jobs.ts';
import type { Database } from '../../src/db/database.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { anonymous, call, fixedClock, makeApp } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';
import { createServices } from '../../src/http/services.ts';

const JST = (s: string) => Date.parse(`${s}+09:00`);
const S30 = 30_000;

/** The one job runner with the monitoring handlers (check batches and incident/recovery jobs), as main builds it. */
function monitoringRunner(database: Database, clock: () => number, batchSize?: number) {
  const m = createMonitoringJobHandlers({ db: database.db, monitoring: createServices({ db: database.db, clock }).monitoring, clock });
  return { runner: new JobRunner(database, { handlers: m.handlers, clock, ...(batchSize ? { batchLane: { size: batchSize } } : {}) }), stats: m.stats };
}

/** An HTTP server on a fixed loopback port that can be stopped and started again. */
async function httpServer(handler: http.RequestListener) {
  let server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
    async start() {
      server = http.createServer(handler);
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    },
  };
}

async function tcpServer() {
  let server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    stop: () => new Promise<void>((r) => server.close(() => r())),
    async start() {
      server = net.createServer((s) => s.end());
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    },
  };
}

describe('checker', () => {
  it('HTTP status, keyword present/absent, timeout, latency; TCP; no network is unknown', async () => {
    let mode: 'ok' | 'error' | 'hang' = 'ok';
    const srv = await httpServer((req, res) => {
      if (mode === 'hang') return; // never answers
      res.writeHead(mode === 'ok' ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(mode === 'ok' ? 'status: OK' : 'maintenance');
    });
    const base = { kind: 'http', url: `http://127.0.0.1:${srv.port}/health`, host: null, port: null, expectedStatus: null, keyword: null, keywordMode: null, timeoutMs: 500, retries: 0 };
    const ok = await performCheck(base);
    expect(ok.status).toBe(0);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect((await performCheck({ ...base, keyword: 'OK', keywordMode: 'present' })).status).toBe(0);
    expect((await performCheck({ ...base, keyword: 'ERROR', keywordMode: 'absent' })).status).toBe(0);
    expect(await performCheck({ ...base, keyword: 'READY', keywordMode: 'present' })).toMatchObject({ status: CHECK_DOWN, error: 'keyword "READY" missing' });
    expect(await performCheck({ ...base, expectedStatus: 204 })).toMatchObject({ status: CHECK_DOWN, error: 'HTTP 200' });
    mode = 'error';
    expect(await performCheck(base)).toMatchObject({ status: CHECK_DOWN, error: 'HTTP 503' });
    mode = 'hang';
    const slow = await performCheck({ ...base, timeoutMs: 300, retries: 1 });
    expect(slow.status).toBe(CHECK_DOWN);
    expect(slow.error).toMatch(/timeout/);
    await srv.stop();
    expect((await performCheck(base)).error).toMatch(/ECONNREFUSED/);

    const tcp = await tcpServer();
    const t = { ...base, kind: 'tcp', url: null, host: '127.0.0.1', port: tcp.port };
    expect((await performCheck(t)).status).toBe(0);
    await tcp.stop();
    expect(await performCheck(t)).toMatchObject({ status: CHECK_DOWN });
    await tcp.start();
    expect((await performCheck(t)).status).toBe(0);
    await tcp.stop();

    // The checker's own network being gone says nothing about the system.
    expect(classifyError(Object.assign(new Error('x'), { code: 'ENETUNREACH' }))).toBe(CHECK_UNKNOWN);
    expect(classifyError(Object.assign(new Error('x'), { code: 'EAI_AGAIN' }))).toBe(CHECK_UNKNOWN);
    expect(classifyError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(CHECK_DOWN);
  });
});

for (const dialect of testDialects) {
  describe(`monitoring (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(JST('2026-03-10T10:00:00'));
    let app: FastifyInstance;
    let w: World;
    let srv: Awaited<ReturnType<typeof httpServer>>;
    let jobs: JobRunner;

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      srv = await httpServer((_req, res) => res.end('OK'));
      jobs = monitoringRunner(t.database, clock).runner;
    });
    afterAll(async () => {
      await app?.close();
      await srv?.stop().catch(() => undefined);
    });

    /** One check round 30 s later, then (next sweep) the follow-up jobs it enqueued. */
    const tick = async () => {
      clock.advance(S30);
      await jobs.runDue();
      await jobs.runDue();
    };
    const monitorOf = async (id: string) => (await call(app, w.agent, { method: 'GET', url: `/api/v1/monitors/${id}` })).json() as { state: string; openOutageId: string | null; lastLatencyMs: number | null };
    const outages = async (monitorId: string) => t.db.selectFrom('outages').select(['id', 'startedAt', 'confirmedAt', 'endedAt', 'incidentId', 'muted']).where('monitorId', '=', monitorId).orderBy('startedAt').execute();
    const monitoringIncidents = async () => t.db.selectFrom('incidents').select(['id', 'priority', 'category', 'channel', 'status', 'systemId']).where('channel', '=', 'monitoring').where('contractId', '=', w.a.contractId).execute();

    let monitorId: string;
    let firstFailAt: number;

    it('a confirmed outage opens exactly one urgent incident, dated from the first failure', async () => {
      const r = await call(app, w.agent, {
        method: 'POST', url: '/api/v1/monitors',
        payload: { contractId: w.a.contractId, systemId: w.a.systemId, name: 'Web', kind: 'http', url: `http://127.0.0.1:${srv.port}/`, keyword: 'OK', intervalMs: S30, timeoutMs: 2000, confirmAfter: 2, recoverAfter: 2 },
      });
      expect(r.statusCode, r.body).toBe(201);
      monitorId = r.json().id;
      await tick();
      expect(await monitorOf(monitorId)).toMatchObject({ state: 'up' });

      await srv.stop();
      await tick();
      firstFailAt = clock();
      expect(await outages(monitorId)).toEqual([]); // one failure is a blip so far
      await tick();
      const [o] = await outages(monitorId);
      expect(o).toMatchObject({ startedAt: firstFailAt, confirmedAt: clock(), endedAt: null, muted: 0 });
      expect(o!.incidentId).toBeTruthy();
      const incs = await monitoringIncidents();
      expect(incs).toEqual([{ id: o!.incidentId, priority: 'urgent', category: 'outage', channel: 'monitoring', status: 'recognized', systemId: w.a.systemId }]);
      // The urgent targets run on the 24/7 clock: start of work due 10 minutes after recognition.
      const detail = (await call(app, w.agent, { method: 'GET', url: `/api/v1/incidents/${o!.incidentId}` })).json() as { targets: Array<{ kind: string; clock: string; dueAt: string }> };
      expect(detail.targets.find((x) => x.kind === 'start')).toMatchObject({ clock: 'calendar', dueAt: new Date(clock() + 10 * 60_000).toISOString() });

      // More failures: still one outage, one incident.
      await tick();
      await tick();
      expect(await outages(monitorId)).toHaveLength(1);
      expect(await monitoringIncidents()).toHaveLength(1);
      expect(await monitorOf(monitorId)).toMatchObject({ state: 'down' });
    });

    it('recovers after M successes, dated from the first; the incident records it; flapping opens no new incident', async () => {
      await srv.start();
      await tick();
      const recoveredAt = clock();
      expect((await outages(monitorId))[0]!.endedAt).toBeNull(); // one success is not yet recovery
      await tick();
      const [o] = await outages(monitorId);
      expect(o!.endedAt).toBe(recoveredAt);
      expect(await monitorOf(monitorId)).toMatchObject({ state: 'up', openOutageId: null });
      const timeline = (await call(app, w.agent, { method: 'GET', url: `/api/v1/incidents/${o!.incidentId}` })).json().timeline as Array<{ body: string }>;
      // In the contract's language and on its clock (Asia/Tokyo), not a UTC ISO instant.
      const local = new Date(recoveredAt + 9 * 3_600_000).toISOString();
      const recoveredText = new RegExp(`監視 Web: 復旧を確認しました（${local.slice(0, 10).replaceAll('-', '/')}\\(.\\) ${local.slice(11, 19)} JST`);
      expect(timeline.map((e) => e.body)).toContainEqual(expect.stringMatching(recoveredText));
      expect(timeline.map((e) => e.body).join('\n')).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);

      // Down again while the incident is still open: a second outage, linked to the same incident.
      await srv.stop();
      await tick();
      await tick();
      const all = await outages(monitorId);
      expect(all).toHaveLength(2);
      expect(all[1]!.incidentId).toBe(o!.incidentId);
      expect(await monitoringIncidents()).toHaveLength(1);
      await srv.start();
      await tick();
      await tick();
      expect((await outages(monitorId))[1]!.endedAt).not.toBeNull();
    });

    it('availability counts exactly the outages, with the intervals behind the figure', async () => {
      const r = await call(app, w.contactA, { method: 'GET', url: `/api/v1/contracts/${w.a.contractId}/availability/2026-03` });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json() as { contract: { downtimeMs: number; intervals: { downtime: Array<{ from: string; to: string }> }; availability: number }; systems: Array<{ systemId: string; figure: { downtimeMs: number } }> };
      const all = await outages(monitorId);
      const total = all.reduce((s, x) => s + (x.endedAt! - x.startedAt), 0);
      expect(body.contract.downtimeMs).toBe(total);
      expect(body.contract.intervals.downtime).toEqual(all.map((x) => ({ from: new Date(x.startedAt).toISOString(), to: new Date(x.endedAt!).toISOString() })));
      expect(body.systems.find((s) => s.systemId === w.a.systemId)!.figure.downtimeMs).toBe(total);
      expect(body.contract.availability).toBeLessThan(1);
      // Not yours = missing.
      const b = await call(app, w.contactB, { method: 'GET', url: `/api/v1/contracts/${w.a.contractId}/availability/2026-03` });
      expect(b.statusCode).toBe(404);
    });

    it('mutes alerts during a maintenance window and alerts if the outage outlasts it', async () => {
      const tcp = await tcpServer();
      const m = (await call(app, w.agent, {
        method: 'POST', url: '/api/v1/monitors',
        payload: { contractId: w.a.contractId, systemId: w.a.systemId, name: 'DB port', kind: 'tcp', host: '127.0.0.1', port: tcp.port, intervalMs: S30, timeoutMs: 1000, confirmAfter: 2, recoverAfter: 1 },
      })).json() as { id: string };
      await tick();
      // Close the open incident so this test sees its own.
      const before = await monitoringIncidents();
      const start = clock() + 10_000;
      const win = await call(app, w.agent, {
        method: 'POST', url: '/api/v1/maintenance',
        payload: { contractId: w.a.contractId, systemId: w.a.systemId, kind: 'emergency', emergencyReason: 'DB 緊急パッチ', title: 'DB 再起動', startsAt: new Date(start).toISOString(), endsAt: new Date(start + 90_000).toISOString(), announce: true },
      });
      expect(win.statusCode, win.body).toBe(201);
      await tcp.stop();
      await tick();
      await tick();
      const [o] = await outages(m.id);
      expect(o).toMatchObject({ muted: 1, incidentId: null });
      expect(await monitoringIncidents()).toHaveLength(before.length);
      // Still down after the window ended: now it is an alert.
      await tick();
      await tick();
      const [o2] = await outages(m.id);
      expect(o2!.muted).toBe(0);
      expect(o2!.incidentId).toBeTruthy();
      await tcp.start();
      await tick();
      expect((await outages(m.id))[0]!.endedAt).not.toBeNull();
      await tcp.stop();
      await call(app, w.agent, { method: 'PATCH', url: `/api/v1/monitors/${m.id}`, payload: { enabled: false } });
    });

    // SQLite serves one process (docs/operations.md); several runners share a database on PostgreSQL.
    it.runIf(dialect === 'postgres')('two runners on separate connections check each monitor once', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/monitors', payload: { contractId: w.b.contractId, systemId: w.b.systemId, name: `m${i}`, kind: 'http', url: `http://127.0.0.1:${srv.port}/`, intervalMs: 60_000, timeoutMs: 2000 } });
        ids.push(r.json().id);
      }
      clock.advance(60_000);
      const a = monitoringRunner(t.openAnother(), clock, 3);
      const b = monitoringRunner(t.openAnother(), clock, 3);
      await Promise.all([a.runner.runDue(), b.runner.runDue()]);
      const runs = await t.db.selectFrom('monitorRuns').select(['monitorId', 'checks']).where('monitorId', 'in', ids).execute();
      expect(runs.map((r) => r.checks)).toEqual(ids.map(() => 1));
      expect(new Set(runs.map((r) => r.monitorId)).size).toBe(12);
      expect(a.stats.checks + b.stats.checks).toBeGreaterThanOrEqual(12);
      // Next checks are one interval on, pending again.
      const next = await t.db.selectFrom('jobs').select(['status', 'lockToken']).where('kind', '=', 'monitor.check').where('dedupeKey', 'in', ids.map((id) => `monitor:${id}`)).execute();
      expect(next.every((j) => j.status === 'pending' && j.lockToken === null)).toBe(true);
    });

    it('the public status page shows systems, open outages, upcoming maintenance and 90 daily bars', async () => {
      await srv.stop();
      await tick();
      await tick();
      const pub = await call(app, w.agent, { method: 'POST', url: `/api/v1/contracts/${w.a.contractId}/publication` });
      const token = pub.json().token as string;
      const r = await call(app, anonymous, { method: 'GET', url: `/api/v1/public/${token}/status?lang=en` });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('Client A 販売管理');
      expect(r.body).toMatch(/class="system down"/);
      expect(r.body).toContain('Outages, last 30 days');
      expect(r.body).toMatch(/class="outage ongoing"><strong>Client A 販売管理<\/strong> \w{3}, \d{2} \w{3} \d{4}, \d{2}:\d{2} – ongoing/);
      expect(r.body).toMatch(/#\d+ システム停止を検知: Web — recognized/);
      // Emergency maintenance is on the page by title, not only in the ICS feed.
      expect(r.body).toMatch(/<strong>DB 再起動<\/strong> \(emergency maintenance/);
      expect(r.body.match(/class="bar /g)).toHaveLength(90);
      // Instants as the console writes them, the zone named once in words (it had read "(Asia/Tokyo)").
      expect(r.body).toMatch(/<strong>DB 再起動<\/strong>/);
      expect(r.body).toMatch(/<li class="window emergency">\w{3}, \d{2} \w{3} \d{4}, \d{2}:\d{2}[–\s]/);
      expect(r.body).toMatch(/As of \w{3}, \d{2} \w{3} \d{4}, \d{2}:\d{2} · all times in Japan Standard Time<\/footer>/);
      expect(r.body).not.toContain('Asia/Tokyo');
      const ja = await call(app, anonymous, { method: 'GET', url: `/api/v1/public/${token}/status`, headers: { 'accept-language': 'ja' } });
      expect(ja.body).toContain('停止');
      expect(ja.body).toMatch(/\d{4}\/\d{2}\/\d{2}\([月火水木金土日]\) \d{2}:\d{2} 時点・時刻はすべて日本標準時<\/footer>/);
      expect(ja.body).toMatch(/title="\d{4}\/\d{2}\/\d{2}\([月火水木金土日]\) /);
      expect((await call(app, anonymous, { method: 'GET', url: `/api/v1/public/${'y'.repeat(43)}/status` })).statusCode).toBe(404);
      await srv.start();
    });
  });
}
