/** The rollups of old check results: state intervals and daily figures per monitor (monitoring.rollup.ts). */
import { sql } from 'kysely';
import type { DailyFigures, StateStretch } from '../../core/availability/index.ts';
import type { Executor } from '../../db/database.ts';
import type { Row } from '../../db/schema.ts';
import type { RunRow } from './monitoring.repository.ts';

export type IntervalRow = Row<'monitorIntervals'>;
export type DailyRow = Row<'monitorDaily'>;

const RUN_COLUMNS = ['id', 'monitorId', 'status', 'startedAt', 'lastAt', 'checks', 'intervalMs', 'latencySumMs', 'latencyMaxMs'] as const;
/** A run is past the window when it started before the cutoff and nothing of it (1.5 intervals past its last result) reaches it. */
const pastWindow = (cutoff: number) => sql<boolean>`started_at < ${cutoff} and last_at + interval_ms * 2 <= ${cutoff}`;

/** Up to `limit` monitors that have runs past the window. */
export async function monitorsWithOldRuns(ex: Executor, cutoff: number, limit: number): Promise<string[]> {
  const rows = await ex.selectFrom('monitorRuns').select('monitorId').where(pastWindow(cutoff)).groupBy('monitorId').limit(limit).execute();
  return rows.map((r) => r.monitorId);
}

/**
 * Deletes these monitors' runs past the window and returns them: what a transaction rolls up is
 * exactly what it deleted, so two processes (or a run resumed after a crash) never count a run twice.
 */
export async function takeOldRuns(ex: Executor, monitorIds: readonly string[], cutoff: number): Promise<RunRow[]> {
  if (monitorIds.length === 0) return [];
  return ex.deleteFrom('monitorRuns').where('monitorId', 'in', [...monitorIds]).where(pastWindow(cutoff)).returning([...RUN_COLUMNS]).execute();
}

/** The start of each monitor's earliest raw run (the successor of the runs just rolled up). */
export async function firstRawRuns(ex: Executor, monitorIds: readonly string[]): Promise<Map<string, number>> {
  if (monitorIds.length === 0) return new Map();
  const rows = await ex.selectFrom('monitorRuns').select((eb) => ['monitorId', eb.fn.min('startedAt').as('first')])
    .where('monitorId', 'in', [...monitorIds]).groupBy('monitorId').execute();
  return new Map(rows.map((r) => [r.monitorId, Number(r.first)]));
}

/** Each monitor's latest interval (the one a new stretch of the same state may extend). */
export async function lastIntervals(ex: Executor, monitorIds: readonly string[]): Promise<Map<string, IntervalRow>> {
  if (monitorIds.length === 0) return new Map();
  const rows = await ex.selectFrom('monitorIntervals as i').select(['i.monitorId', 'i.startedAt', 'i.endedAt', 'i.status'])
    .where('i.monitorId', 'in', [...monitorIds])
    .where('i.startedAt', '=', (eb) => eb.selectFrom('monitorIntervals as j').select((e) => e.fn.max('j.startedAt').as('m')).whereRef('j.monitorId', '=', 'i.monitorId'))
    .execute();
  return new Map(rows.map((r) => [r.monitorId, r]));
}

export async function extendInterval(ex: Executor, monitorId: string, startedAt: number, endedAt: number): Promise<void> {
  await ex.updateTable('monitorIntervals').set({ endedAt }).where('monitorId', '=', monitorId).where('startedAt', '=', startedAt).execute();
}

export async function insertIntervals(ex: Executor, rows: Array<StateStretch & { monitorId: string }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await ex.insertInto('monitorIntervals').values(rows.slice(i, i + 1000)).execute();
}

/** Adds figures to a day's row (a day can be rolled up in several passes, e.g. after a longer retention). */
export async function addDaily(ex: Executor, rows: Array<DailyFigures & { monitorId: string }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await ex.insertInto('monitorDaily').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.columns(['monitorId', 'day']).doUpdateSet({
      checks: sql`monitor_daily.checks + excluded.checks`,
      failures: sql`monitor_daily.failures + excluded.failures`,
      unknowns: sql`monitor_daily.unknowns + excluded.unknowns`,
      latencySumMs: sql`monitor_daily.latency_sum_ms + excluded.latency_sum_ms`,
      latencyMaxMs: sql`case when excluded.latency_max_ms > monitor_daily.latency_max_ms then excluded.latency_max_ms else monitor_daily.latency_max_ms end`,
    })).execute();
  }
}

/** Rolled-up intervals of these monitors overlapping [from, to), by monitor and start. */
export async function intervalsBetween(ex: Executor, monitorIds: readonly string[], from: number, to: number): Promise<IntervalRow[]> {
  if (monitorIds.length === 0) return [];
  return ex.selectFrom('monitorIntervals').select(['monitorId', 'startedAt', 'endedAt', 'status'])
    .where('monitorId', 'in', [...monitorIds]).where('endedAt', '>', from).where('startedAt', '<', to)
    .orderBy('monitorId').orderBy('startedAt').execute();
}

/** Daily figures of a monitor for days [fromDay, toDay). */
export async function dailyBetween(ex: Executor, monitorId: string, fromDay: number, toDay: number): Promise<DailyRow[]> {
  return ex.selectFrom('monitorDaily').select(['monitorId', 'day', 'checks', 'failures', 'unknowns', 'latencySumMs', 'latencyMaxMs'])
    .where('monitorId', '=', monitorId).where('day', '>=', fromDay).where('day', '<', toDay).orderBy('day').execute();
}
