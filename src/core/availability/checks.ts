/**
 * Health-check results → confirmed outages, monitored time and unknown gaps, in
 * one pass over typed arrays (a year of 30-second checks is about 1.05 M results).
 *
 * Rules (SPEC §5, issue 6):
 * - An outage is confirmed after `confirmAfter` (N) consecutive failed checks and
 *   is dated from the first of them. Fewer failures followed by a success are a
 *   blip, not an outage.
 * - It ends at the first success of `recoverAfter` (M) consecutive successes; a
 *   failure before M successes keeps it going.
 * - "unknown" results (the checker itself had no network) say nothing about the
 *   system: they neither count towards nor break a streak, and their time is not
 *   monitored.
 * - A result stands for the time until the next result, but for at most
 *   `staleFactor` × its interval (default 1.5: a check that runs a little late
 *   leaves no sliver, a missed check leaves a gap). Beyond that is unknown.
 * - Inside a confirmed outage that later recovered, the system is down for the
 *   whole of it, gaps included: nothing was seen up until the recovery. An outage
 *   still open at the end of the data runs to the end of the last result's time.
 */
import { complement, subtract, type Interval } from './intervals.ts';

export const CHECK_UP = 0;
export const CHECK_DOWN = 1;
export const CHECK_UNKNOWN = 2;
export type CheckStatus = typeof CHECK_UP | typeof CHECK_DOWN | typeof CHECK_UNKNOWN;

/** Column arrays, sorted by time; typed arrays in bulk, plain arrays in tests. */
export interface CheckSeries {
  /** Epoch ms of each result, ascending. */
  at: ArrayLike<number>;
  /** CHECK_UP | CHECK_DOWN | CHECK_UNKNOWN per result. */
  status: ArrayLike<number>;
  /** Each result's check interval in ms, or one interval for all. */
  intervalMs: number | ArrayLike<number>;
}

export interface OutageOptions {
  /** The range to report on, [from, to). Results before `from` still build up state. */
  from: number;
  to: number;
  /** N consecutive failures before "down" (>= 1, default 1). */
  confirmAfter?: number;
  /** M consecutive successes before "up" again (>= 1, default 1). */
  recoverAfter?: number;
  /** A result covers at most this many of its intervals (default 1.5). */
  staleFactor?: number;
  /** An outage already confirmed before the first result, open since this instant. */
  openOutageSince?: number;
}

export interface CheckIntervals {
  /** Confirmed outages clipped to [from, to). */
  outages: Interval[];
  /** Where a known (up or down) result stood, clipped to [from, to). */
  monitored: Interval[];
  /** [from, to) − monitored − outages: time without data and not known to be down. */
  unknown: Interval[];
}

/** Appends [s, e) to a sorted list being built, merging when it touches the last one. */
function append(out: Interval[], s: number, e: number): void {
  if (!(e > s)) return;
  const last = out.length - 1;
  if (last >= 0 && s <= out[last]![1]) {
    if (e > out[last]![1]) out[last] = [out[last]![0], e];
    return;
  }
  out.push([s, e]);
}

export function outagesFromChecks(series: CheckSeries, options: OutageOptions): CheckIntervals {
  const { from, to } = options;
  const confirmAfter = options.confirmAfter ?? 1;
  const recoverAfter = options.recoverAfter ?? 1;
  const stale = options.staleFactor ?? 1.5;
  if (!Number.isInteger(confirmAfter) || confirmAfter < 1) throw new RangeError('confirmAfter must be an integer >= 1');
  if (!Number.isInteger(recoverAfter) || recoverAfter < 1) throw new RangeError('recoverAfter must be an integer >= 1');
  if (!(stale > 0)) throw new RangeError('staleFactor must be > 0');

  const { at, status } = series;
  const fixed = typeof series.intervalMs === 'number' ? series.intervalMs : -1;
  const intervals = typeof series.intervalMs === 'number' ? null : series.intervalMs;
  const n = at.length;

  const outages: Interval[] = [];
  const monitored: Interval[] = [];
  let down = options.openOutageSince !== undefined;
  let outageStart = options.openOutageSince ?? 0;
  let failStreak = 0;
  let firstFail = 0;
  let okStreak = 0;
  let firstOk = 0;
  let evidenceEnd = -Infinity; // end of the last known result's time
  let runOpen = false;
  let runStart = 0;
  let runEnd = 0;

  for (let i = 0; i < n; i++) {
    const t = at[i]!;
    if (t >= to) break;
    const st = status[i]!;
    if (st === CHECK_UNKNOWN) continue;
    const interval = fixed >= 0 ? fixed : intervals![i]!;
    const next = i + 1 < n ? at[i + 1]! : Infinity;
    let end = t + interval * stale;
    if (next < end) end = next;
    if (end > to) end = to;
    // Monitored time is built as one open run in locals and pushed only at a gap:
    // a year has ~1 M results and a handful of gaps, so no tuple per result.
    if (end > from) {
      const s = t > from ? t : from;
      if (runOpen && s <= runEnd) {
        if (end > runEnd) runEnd = end;
      } else {
        if (runOpen) monitored.push([runStart, runEnd]);
        runStart = s;
        runEnd = end;
        runOpen = true;
      }
    }
    evidenceEnd = end;

    if (st === CHECK_DOWN) {
      okStreak = 0;
      if (!down) {
        if (failStreak === 0) firstFail = t;
        if (++failStreak >= confirmAfter) {
          down = true;
          outageStart = firstFail;
        }
      }
    } else if (down) {
      if (okStreak === 0) firstOk = t;
      if (++okStreak >= recoverAfter) {
        down = false;
        failStreak = 0;
        okStreak = 0;
        if (firstOk > from) append(outages, outageStart > from ? outageStart : from, firstOk);
      }
    } else {
      failStreak = 0;
    }
  }
  return finish(outages, monitored, from, to, runOpen ? runStart : NaN, runEnd, down ? outageStart : NaN, evidenceEnd);
}

/**
 * The tail, kept out of the scan: V8 optimizes the hot loop (on-stack) before this
 * code has ever run, and deoptimizing on it threw the loop's optimized code away on
 * every call (a third of the time in the year benchmark).
 */
function finish(outages: Interval[], monitored: Interval[], from: number, to: number, runStart: number, runEnd: number, openOutage: number, evidenceEnd: number): CheckIntervals {
  if (!Number.isNaN(runStart)) monitored.push([runStart, runEnd]);
  if (!Number.isNaN(openOutage) && evidenceEnd > from) append(outages, openOutage > from ? openOutage : from, evidenceEnd);
  return { outages, monitored, unknown: subtract(complement(monitored, from, to), outages) };
}
