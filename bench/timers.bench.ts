/**
 * SLA timers with many open incidents: N open incidents (filed through the incident
 * service, 50 at a time) whose timers lie hours ahead, and K of their timer jobs
 * brought due over the next few seconds; one job runner with its scheduler (as
 * `hoshu serve` runs it) fires them. Prints the fire lag (the timeline entry's instant
 * minus the job's run_at; goal: p99 < 1 s) and this process's CPU per fired timer,
 * which must not grow with N (the sweep reads the partial index of pending jobs by
 * run_at). Sizes: BENCH_TIMER_SIZES (default 1000,10000; 100000 and up take
 * minutes to file on this machine); BENCH_DIALECTS as in http.bench.ts.
 */
import { sql } from 'kysely';
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

async function measure(dialect: DialectName, n: number): Promise<void> {
  const fresh = await freshDatabase(dialect);
  try {
    const { services, contractId } = await seedDesk(fresh.database, Date.now);
    const actor = SYSTEM_ACTOR as Parameters<typeof services.incidents.create>[0];
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next++ < n) await services.incidents.create(actor, { contractId, title: `open ${next}`, channel: 'phone', priority: 'important' });
    }));
    const filed = (performance.now() - t0) / 1000;
    const db = fresh.database.db;
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
    const runner = new JobRunner(fresh.database, {
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
      `timers ${dialect} ${n.toLocaleString('en')} open (filed in ${filed.toFixed(0)} s): fired ${lags.length}/${picked.length}, ` +
        `lag p50 ${pct(lags, 50)} ms p99 ${pct(lags, 99)} ms max ${lags.at(-1)} ms; CPU ${(used / Math.max(1, lags.length)).toFixed(2)} ms per fired timer (idle sweeps included)`,
    );
  } finally {
    await fresh.drop();
  }
}

export async function run(): Promise<void> {
  for (const d of DIALECTS) {
    const sizes = (process.env.BENCH_TIMER_SIZES ?? '1000,10000').split(',').map(Number);
    for (const n of sizes) await measure(d, n);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
