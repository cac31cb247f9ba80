/**
 * Rolling run-length check results (runs) up for the long term, exactly: the stretches of
 * one state a monitor's runs stand for (each run from its first result until the next run
 * starts, at most `staleFactor` intervals past its last result — the rule availability
 * counts monitored time by), merged where one stretch ends where the next of the same
 * state begins; and per UTC day the counts and the latency of successful checks.
 */
import { CHECK_DOWN, CHECK_UNKNOWN, CHECK_UP } from './checks.ts';

export const DAY_MS = 86_400_000;
/** Days since 1970-01-01 (UTC) of an instant. */
export const utcDay = (at: number): number => Math.floor(at / DAY_MS);

export interface RunLike {
  status: number;
  startedAt: number;
  lastAt: number;
  checks: number;
  intervalMs: number;
  latencySumMs: number;
  latencyMaxMs: number;
}

export interface StateStretch {
  status: number;
  startedAt: number;
  endedAt: number;
}

/**
 * The stretches of one monitor's runs (in start order); `nextStart` is the start of the
 * run after the last one (null: none, and none can start before its stale end).
 */
export function stretchesOf(runs: readonly RunLike[], nextStart: number | null, staleFactor: number): StateStretch[] {
  const out: StateStretch[] = [];
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    const next = i + 1 < runs.length ? runs[i + 1]!.startedAt : nextStart ?? Infinity;
    const endedAt = Math.min(r.lastAt + r.intervalMs * staleFactor, next);
    const prev = out.at(-1);
    if (prev && prev.status === r.status && prev.endedAt >= r.startedAt) prev.endedAt = Math.max(prev.endedAt, endedAt);
    else out.push({ status: r.status, startedAt: r.startedAt, endedAt });
  }
  return out;
}

export interface DailyFigures {
  day: number;
  checks: number;
  failures: number;
  unknowns: number;
  /** Of successful checks only: a failure's latency is its timeout. */
  latencySumMs: number;
  latencyMaxMs: number;
}

/** Per UTC day of their start (a run never crosses UTC midnight: the checker starts a new one there). */
export function dailyOf(runs: readonly RunLike[]): DailyFigures[] {
  const days = new Map<number, DailyFigures>();
  for (const r of runs) {
    const day = utcDay(r.startedAt);
    let d = days.get(day);
    if (!d) days.set(day, (d = { day, checks: 0, failures: 0, unknowns: 0, latencySumMs: 0, latencyMaxMs: 0 }));
    d.checks += r.checks;
    if (r.status === CHECK_DOWN) d.failures += r.checks;
    else if (r.status === CHECK_UNKNOWN) d.unknowns += r.checks;
    else if (r.status === CHECK_UP) {
      d.latencySumMs += r.latencySumMs;
      d.latencyMaxMs = Math.max(d.latencyMaxMs, r.latencyMaxMs);
    }
  }
  return [...days.values()].sort((a, b) => a.day - b.day);
}
