/**
 * Monitoring at scale, in one process on SQLite (the embedded default): as many
 * HTTP monitors at a 30-second interval as the goal asks (20,000 ≈ 667 checks/s;
 * HOSHU_BENCH_MONITORS to change) against a local HTTP server running in a child
 * process, so its CPU is not counted as ours. Reports checks/s achieved vs
 * expected over one full interval, scheduling lag (start − due) p50/p99, CPU time
 * per check, RSS and database growth, each for the first interval (every monitor's
 * first run) and the second (steady state, extrapolated per hour), and how long
 * adding all the monitors through the API takes (POST /api/v1/monitors via
 * inject, one call at a time; HOSHU_BENCH_API_MONITORS adds only that many through
 * the API and the rest in bulk, for a shorter run). The comparison figures are
 * Uptime Kuma 2.5's on this machine kind, from the issue: 3,000 monitors at 20 s
 * (150 checks/s) at 77% CPU and 950 MB RSS, 50 s p99 per monitor creation.
 * The "DB growth" of a 30 s sample is file + WAL (the WAL grows to its checkpoint size
 * whatever is stored); the data's growth per day, raw runs only against the rollup
 * job, is printed last (bench/monitoring-storage.ts, simulated days).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { createDb } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { NewRow } from '../src/db/schema.ts';
import { seedBaseData } from '../src/seed/base.ts';
import { buildApp } from '../src/http/app.ts';
import { createServices } from '../src/http/services.ts';
import { SYSTEM_ACTOR } from '../src/modules/auth/actor.ts';
import { createApiToken, createUser } from '../src/modules/auth/auth.service.ts';
import { JobRunner } from '../src/jobs/runner.ts';
import { Scheduler } from '../src/jobs/scheduler.ts';
import { createMonitoringJobHandlers } from '../src/modules/monitoring/monitoring.jobs.ts';
import { CHECK_JOB, checkKey } from '../src/modules/monitoring/monitoring.service.ts';
import { storageGrowth } from './monitoring-storage.ts';

const N = Number(process.env.HOSHU_BENCH_MONITORS ?? 20_000);
const API_N = Math.min(N, Number(process.env.HOSHU_BENCH_API_MONITORS ?? N));
const INTERVAL = 30_000;

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

/** A tiny HTTP target in its own process: 200 "OK" on every path, keep-alive. */
async function startTarget(): Promise<{ port: number; stop(): void }> {
  const code = `
    const http = require('node:http');
    const s = http.createServer((req, res) => { res.writeHead(200, {'content-type': 'text/plain'}); res.end('OK'); });
    s.keepAliveTimeout = 65000;
    s.listen(0, '127.0.0.1', () => process.send(s.address().port));`;
  const child = fork('-e', [code], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // fork() with '-e' runs `node -e <code>`: the code is the first script argument.
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(Number(m)));
    child.once('error', reject);
  });
  return { port, stop: () => child.kill() };
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-monbench-'));
  const file = path.join(dir, 'hoshu.db');
  const database = createDb({ dialect: 'sqlite', file });
  const target = await startTarget();
  try {
    await migrateToLatest(database.db);
    const now0 = Date.now();
    await seedBaseData(database.db, now0);
    const s = createServices({ db: database.db, clock: Date.now });
    const client = await s.clients.create(SYSTEM_ACTOR, { name: 'Bench KK' });
    const system = await s.systems.create(SYSTEM_ACTOR, { clientId: client.id, name: 'Web' });
    const contract = await s.contracts.create(SYSTEM_ACTOR, { clientId: client.id, name: 'Bench contract', startsOn: '2026-01-01', systemIds: [system.id] });
    const admin = await createUser(database.db, { email: 'bench@vendor.test', name: 'bench', role: 'admin', clientId: null, password: null });
    const { token } = await createApiToken(database.db, { userId: admin.id, name: 'bench' });
    const app = await buildApp({ db: database.db });
    const url = `http://127.0.0.1:${target.port}/health`;

    // 1. Adding monitors through the API, one call at a time (as a script or the UI would).
    const createMs: number[] = [];
    const addStart = performance.now();
    for (let i = 0; i < API_N; i++) {
      const t0 = performance.now();
      const r = await app.inject({
        method: 'POST', url: '/api/v1/monitors', headers: { authorization: `Bearer ${token}` },
        payload: { contractId: contract.id, systemId: system.id, name: `m${i}`, kind: 'http', url, intervalMs: INTERVAL, timeoutMs: 5000, confirmAfter: 3, recoverAfter: 2 },
      });
      createMs.push(performance.now() - t0);
      if (r.statusCode !== 201) throw new Error(`create monitor: ${r.statusCode} ${r.body}`);
    }
    const addSeconds = (performance.now() - addStart) / 1000;
    await app.close();
    // The rest (if any) in bulk (same rows the service writes), so the run stays short.
    const now = Date.now();
    for (let i = API_N; i < N; i += 500) {
      const rows: NewRow<'monitors'>[] = [];
      const jobs: NewRow<'jobs'>[] = [];
      for (let k = i; k < Math.min(N, i + 500); k++) {
        const id = uuidv7();
        rows.push({
          id, contractId: contract.id, clientId: client.id, systemId: system.id, name: `m${k}`, kind: 'http', url, host: null, port: null,
          expectedStatus: null, keyword: null, keywordMode: null, intervalMs: INTERVAL, timeoutMs: 5000, retries: 0, confirmAfter: 3, recoverAfter: 2,
          enabled: 1, state: 'unknown', failStreak: 0, okStreak: 0, firstFailAt: null, recoveringSince: null, lastCheckAt: null, lastResult: null,
          lastLatencyMs: null, lastError: null, currentRunId: null, openOutageId: null, createdBy: 'bench', createdAt: now, updatedAt: now,
        });
        jobs.push({ id: uuidv7(), kind: CHECK_JOB, payload: JSON.stringify({ monitorId: id }), runAt: now, status: 'pending', attempts: 0, maxAttempts: 5, lockedUntil: null, lockToken: null, dedupeKey: checkKey(id), lastError: null, createdAt: now, updatedAt: now });
      }
      await database.db.transaction().execute(async (tx) => {
        await tx.insertInto('monitors').values(rows).execute();
        await tx.insertInto('jobs').values(jobs).execute();
      });
    }
    // Spread the first checks evenly over one interval from the start of the measurement.
    const start = Date.now() + 1000;
    const ids = await database.db.selectFrom('jobs').select('id').where('kind', '=', CHECK_JOB).orderBy('id').execute();
    await database.db.transaction().execute(async (tx) => {
      for (let i = 0; i < ids.length; i++) {
        await tx.updateTable('jobs').set({ runAt: start + Math.floor((i * INTERVAL) / ids.length) }).where('id', '=', ids[i]!.id).execute();
      }
    });

    // 2. One full interval of checks.
    const sizeOf = () => ['', '-wal'].reduce((sum, ext) => sum + (fs.existsSync(file + ext) ? fs.statSync(file + ext).size : 0), 0);
    // The process's one job runner as main builds it, checks in their batch lane (250 per batch, 4 batches in flight).
    const monitoring = createMonitoringJobHandlers({ db: database.db, monitoring: createServices({ db: database.db, clock: Date.now }).monitoring, clock: Date.now });
    const scheduler = new Scheduler(
      new JobRunner(database, { handlers: monitoring.handlers, batchLane: { size: 250, concurrency: 4, idleMs: 50 } }),
      { intervalMs: 1000 },
    );
    const stats = monitoring.stats;
    while (Date.now() < start) await new Promise((r) => setTimeout(r, 20));
    const size0 = sizeOf();
    const cpu0 = process.cpuUsage();
    let rssPeak = 0;
    const rssTimer = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 250);
    scheduler.start();
    // Two intervals: the first starts every monitor's run, the second is the steady state.
    const intervals: Array<{ elapsed: number; checks: number; lags: number[]; cpuMs: number; growth: number }> = [];
    let checksBefore = 0;
    let lagsBefore = 0;
    let cpuBefore = cpu0;
    let sizeBefore = size0;
    for (let k = 0; k < 2; k++) {
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, INTERVAL));
      const cpu = process.cpuUsage(cpuBefore);
      const size = sizeOf();
      intervals.push({
        elapsed: (performance.now() - t0) / 1000,
        checks: stats.checks - checksBefore,
        lags: stats.lags.slice(lagsBefore),
        cpuMs: (cpu.user + cpu.system) / 1000,
        growth: size - sizeBefore,
      });
      checksBefore = stats.checks;
      lagsBefore = stats.lags.length;
      cpuBefore = process.cpuUsage();
      sizeBefore = size;
    }
    await scheduler.stop();
    clearInterval(rssTimer);

    const expected = N / (INTERVAL / 1000);
    console.log(`monitors: ${N} HTTP at ${INTERVAL / 1000} s against a local server (child process); SQLite, one process`);
    intervals.forEach((iv, k) => {
      const label = k === 0 ? 'first interval (every monitor starts its run)' : 'second interval (steady state)';
      console.log(`${label}:`);
      console.log(`  checks/s: ${(iv.checks / iv.elapsed).toFixed(0)} achieved vs ${expected.toFixed(0)} expected (${iv.checks} checks in ${iv.elapsed.toFixed(1)} s)`);
      console.log(`  scheduling lag: p50 ${pct(iv.lags, 50).toFixed(0)} ms, p99 ${pct(iv.lags, 99).toFixed(0)} ms, max ${Math.max(...iv.lags).toFixed(0)} ms (goal p99 < 1 s)`);
      console.log(`  CPU: ${(iv.cpuMs / Math.max(1, iv.checks)).toFixed(3)} ms per check, ${((iv.cpuMs / 1000 / iv.elapsed) * 100).toFixed(0)}% of one core`);
      console.log(`  DB growth: ${mb(iv.growth)} in ${iv.elapsed.toFixed(0)} s (≈ ${mb((iv.growth / iv.elapsed) * 3600)} per hour incl. WAL)`);
    });
    console.log(`RSS: peak ${mb(rssPeak)} (Uptime Kuma: 950 MB for 3,000 monitors)`);
    console.log(`adding ${API_N} monitors through the API, one call at a time: ${addSeconds.toFixed(1)} s; per call p50 ${pct(createMs, 50).toFixed(1)} ms, p99 ${pct(createMs, 99).toFixed(1)} ms (goal p99 < 50 ms; Uptime Kuma 50 s)`);
    // Growth per day in steady state, raw-only against the rollup job, by simulated days (bench/monitoring-storage.ts).
    await storageGrowth();
  } finally {
    target.stop();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
