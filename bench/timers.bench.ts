/**
 * SLA timers with many open incidents: N open incidents (filed through the incident
 * service's bulk path, incidents.createMany: the rows of one create, 500 per unit of
 * work with multi-row inserts) whose timers lie hours ahead, and K of their timer jobs
 * brought due over the next few seconds; one job runner with its scheduler (as
 * `hoshu serve` runs it) fires them. Prints the fire lag (the timeline entry's instant
 * minus the job's run_at; goal: p99 < 1 s) and this process's CPU per fired timer,
 * which must not grow with N (the sweep reads the partial index of pending jobs by
 * run_at). Sizes: BENCH_TIMER_SIZES (default 10000,100000,1000000: the sizes grow in one
 * database, so 1,000,000 is filed once, in about 10 minutes on SQLite on this machine);
 * BENCH_DIALECTS as in http.bench.ts.
 */
import os from 'node:os';
import { sql } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { freshDatabase, seedDesk } from './http.bench.ts';
import type { DialectName } from '../src/db/dialect.ts';
import { JobRunner } from '../src/jobs/runner.ts';
import { Scheduler } from '../src/jobs/scheduler.ts';
import { SYSTEM_ACTOR } from '../src/modules/auth/actor.ts';
import { SLA_TIMER_JOB, createSlaTimerHandler } from '../src/modules/incidents/incident.jobs.ts';
import { createNotificationService } from '../src/modules/notifications/notification.service.ts';

const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as DialectName[];
const K = 300;
const WINDOW_MS = 5000;

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;

async function measure(dialect: DialectName, sizes: number[]): Promise<void> {
  const fresh = await freshDatabase(dialect);
  try {
    const { services, contractId } = await seedDesk(fresh.database, Date.now);
    const actor = SYSTEM_ACTOR as Parameters<typeof services.incidents.createMany>[0];
    const db = fresh.database.db;
    let open = 0;
    for (const n of sizes) {
      // Open incidents grow in the one database from size to size, filed in bulk.
      const t0 = performance.now();
      const added = n - open;
      for (let i = open; i < n; i += 10_000) {
        const batch = Array.from({ length: Math.min(10_000, n - i) }, (_, k) => ({ contractId, title: `open ${i + k + 1}`, channel: 'phone' as const, priority: 'important' as const }));
        await services.incidents.createMany(actor, batch);
      }
      open = n;
      const filed = (performance.now() - t0) / 1000;
      await fire(dialect, db, fresh.database, n, added, filed);
    }
  } finally {
    await fresh.drop();
  }
}

async function fire(dialect: DialectName, db: Database['db'], database: Database, n: number, added: number, filed: number): Promise<void> {
  // K warnings (one per incident) come due spread over the next few seconds (the job and the target's
  // warning instant both moved there, as a calendar edit would); every other timer stays hours ahead.
  const picked = await db.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', SLA_TIMER_JOB).where('status', '=', 'pending')
    .where(sql<string>`substr(dedupe_key, length(dedupe_key) - 5)`, '=', 'atRisk').orderBy('runAt').limit(K).execute();
  const start = Date.now() + 1000;
  for (const [i, j] of picked.entries()) {
    const at = start + Math.floor((i * WINDOW_MS) / picked.length);
    const p = JSON.parse(j.payload) as { incidentId: string; target: string };
    await db.updateTable('jobs').set({ runAt: at }).where('id', '=', j.id).execute();
    await db.updateTable('incidentTargets').set({ atRiskAt: at }).where('incidentId', '=', p.incidentId).where('kind', '=', p.target).execute();
  }
  const runner = new JobRunner(database, {
    clock: Date.now,
    concurrency: dialect === 'postgres' ? 4 : 1,
    handlers: { [SLA_TIMER_JOB]: createSlaTimerHandler({ db, clock: Date.now, notifications: createNotificationService({ deskEmail: null, baseUrl: 'http://localhost' }) }) },
  });
  const scheduler = new Scheduler(runner, { intervalMs: 100 });
  const cpu0 = process.cpuUsage();
  scheduler.start();
  await new Promise((r) => setTimeout(r, 1000 + WINDOW_MS + 1500));
  await scheduler.stop();
  const cpu = process.cpuUsage(cpu0);
  // The timeline entries of the picked timers: their instant against the job's run_at.
  const jobs = await db.selectFrom('jobs').select(['id', 'payload', 'runAt', 'status']).where('id', 'in', picked.map((j) => j.id)).execute();
  const lags: number[] = [];
  for (const j of jobs) {
    const p = JSON.parse(j.payload) as { incidentId: string; target: string; event: string };
    const e = await db.selectFrom('incidentEvents').select(['at', 'data']).where('incidentId', '=', p.incidentId).where('kind', '=', 'sla').execute();
    const hit = e.find((x) => { const d = JSON.parse(x.data) as { target: string; event: string }; return d.target === p.target && d.event === p.event; });
    if (hit) lags.push(hit.at - j.runAt);
  }
  lags.sort((a, b) => a - b);
  const used = (cpu.user + cpu.system) / 1000;
  console.log(
    `timers ${dialect} ${n.toLocaleString('en')} open (${added.toLocaleString('en')} filed in bulk in ${filed.toFixed(0)} s, ${(added / filed).toFixed(0)}/s): fired ${lags.length}/${picked.length}, ` +
      `lag p50 ${pct(lags, 50)} ms p99 ${pct(lags, 99)} ms max ${lags.at(-1)} ms; CPU ${(used / Math.max(1, lags.length)).toFixed(2)} ms per fired timer (idle sweeps included); load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  );
}

export async function run(): Promise<void> {
  for (const d of DIALECTS) {
    const sizes = (process.env.BENCH_TIMER_SIZES ?? '10000,100000,1000000').split(',').map(Number).sort((a, b) => a - b);
    await measure(d, sizes);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
