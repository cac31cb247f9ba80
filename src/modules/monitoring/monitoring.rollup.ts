/**
 * Monitoring storage that stays small: runs (run-length check results) are kept raw for
 * the retention window (HOSHU_MONITOR_RETENTION_DAYS, default 7); older ones are rolled up
 * into state intervals (a row per transition) and daily figures per monitor, and deleted.
 * Availability, outages, latency and the status page read the rollups for the old part and
 * the runs for the recent part; the two give the same monitored time to the millisecond
 * (test/monitoring/rollup.test.ts).
 *
 * The `monitoring.rollup` job (key monitoring:rollup, re-armed hourly, armed at startup)
 * runs through the job table, so one process runs it at a time. It works in batches of
 * monitors, each its own transaction that rolls up exactly the runs it deletes: a run
 * killed midway resumes where it stopped, and a second process that races it finds the
 * runs gone and adds nothing.
 */
import type { Kysely } from 'kysely';
import { dailyOf, stretchesOf, utcDay, DAY_MS } from '../../core/availability/index.ts';
import type { DB } from '../../db/schema.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { enqueue } from '../../jobs/queue.ts';
import { STALE_FACTOR } from './monitoring.model.ts';
import type { RunRow } from './monitoring.repository.ts';
import * as rollups from './monitoring.rollup.repository.ts';

export const ROLLUP_JOB = 'monitoring.rollup';
const ROLLUP_KEY = 'monitoring:rollup';
export const DEFAULT_RETENTION_DAYS = 7;
const EVERY_MS = 3600_000;
const MONITORS_PER_BATCH = 500;

/** Where raw runs end: the UTC midnight `retentionDays` before now (whole days roll up at once). */
export const retentionCutoff = (now: number, retentionDays: number): number => utcDay(now - retentionDays * DAY_MS) * DAY_MS;

export interface RollupOutcome {
  runs: number;
  monitors: number;
  batches: number;
}

/** Rolls up every run past the window, one transaction per batch of monitors. */
export async function rollUp(db: Kysely<DB>, now: number, retentionDays: number, o: { batch?: number } = {}): Promise<RollupOutcome> {
  const cutoff = retentionCutoff(now, retentionDays);
  const out: RollupOutcome = { runs: 0, monitors: 0, batches: 0 };
  for (;;) {
    const ids = await rollups.monitorsWithOldRuns(db, cutoff, o.batch ?? MONITORS_PER_BATCH);
    if (ids.length === 0) return out;
    const n = await db.transaction().execute((tx) => rollBatch(tx, ids, cutoff));
    out.runs += n;
    out.monitors += ids.length;
    out.batches += 1;
  }
}

async function rollBatch(tx: Kysely<DB>, ids: string[], cutoff: number): Promise<number> {
  const taken = await rollups.takeOldRuns(tx, ids, cutoff);
  if (taken.length === 0) return 0;
  const byMonitor = new Map<string, RunRow[]>();
  for (const r of taken) {
    const list = byMonitor.get(r.monitorId);
    if (list) list.push(r);
    else byMonitor.set(r.monitorId, [r]);
  }
  const monitorIds = [...byMonitor.keys()];
  const [next, last] = await Promise.all([rollups.firstRawRuns(tx, monitorIds), rollups.lastIntervals(tx, monitorIds)]);
  const inserts: Parameters<typeof rollups.insertIntervals>[1] = [];
  const daily: Parameters<typeof rollups.addDaily>[1] = [];
  for (const [monitorId, runs] of byMonitor) {
    runs.sort((a, b) => a.startedAt - b.startedAt);
    const stretches = stretchesOf(runs, next.get(monitorId) ?? null, STALE_FACTOR);
    const prev = last.get(monitorId);
    const first = stretches[0]!;
    // The stretch the last rollup ended with goes on when the same state follows without a gap.
    if (prev && prev.status === first.status && prev.endedAt >= first.startedAt) {
      await rollups.extendInterval(tx, monitorId, prev.startedAt, Math.max(prev.endedAt, first.endedAt));
      stretches.shift();
    }
    for (const s of stretches) inserts.push({ monitorId, ...s });
    for (const d of dailyOf(runs)) daily.push({ monitorId, ...d });
  }
  await rollups.insertIntervals(tx, inserts);
  await rollups.addDaily(tx, daily);
  return taken.length;
}

/** Arms the hourly rollup unless it is armed already (every process calls this at startup; one job exists). */
export async function armRollup(db: Kysely<DB>, now: number): Promise<void> {
  const found = await db.selectFrom('jobs').select('status').where('dedupeKey', '=', ROLLUP_KEY).executeTakeFirst();
  // A finished or failed job is armed again; one pending or running is left alone.
  if (!found || (found.status !== 'pending' && found.status !== 'running')) await enqueue(db, { kind: ROLLUP_JOB, payload: {}, runAt: now + 60_000, dedupeKey: ROLLUP_KEY, now });
}

export function createRollupJobHandler(deps: { db: Kysely<DB>; retentionDays: number; onDone?: (o: RollupOutcome) => void }): Record<string, JobHandler> {
  return {
    [ROLLUP_JOB]: async (_payload, ctx) => {
      const outcome = await rollUp(deps.db, ctx.now, deps.retentionDays);
      deps.onDone?.(outcome);
      // Re-armed under the same key; the runner marks this run done and the upsert makes it pending again.
      await enqueue(deps.db, { kind: ROLLUP_JOB, payload: {}, runAt: ctx.now + EVERY_MS, dedupeKey: ROLLUP_KEY, now: ctx.now });
    },
  };
}
