import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { addWorkingMs, workingMsBetween } from './clock.ts';
import { clockFor, dueAt } from './deadline.ts';
import type { Pause } from './pauses.ts';
import type { SlaTarget } from './target.ts';

export type SlaState = 'ok' | 'atRisk' | 'breached' | 'met' | 'metLate';

export const DEFAULT_AT_RISK_THRESHOLD = 0.75;

export interface StatusInput {
  calendar: WorkingCalendar;
  start: number;
  target: SlaTarget;
  /** Close an open pause at `now` before passing it. */
  pauses?: readonly Pause[];
  now: number;
  /** When the target was met (work started, solution proposed, resolved), if it was. */
  metAt?: number | null;
  /** Fraction of the target's time after which it is "at risk"; default 0.75. */
  atRiskThreshold?: number;
}

export interface SlaStatus {
  state: SlaState;
  dueAt: number;
  /** The instant the used fraction reaches the threshold (pauses as given). */
  atRiskAt: number;
  /** The first instant that counts as breached: one millisecond after dueAt. Met exactly at dueAt is on time. */
  breachAt: number;
  /** Working ms the target grants. */
  totalMs: number;
  /** Working ms used from start to min(now, metAt), pauses excluded. */
  elapsedMs: number;
  /** totalMs - elapsedMs; negative once overdue. */
  remainingMs: number;
  /** elapsedMs / totalMs (1 when the target grants no time). */
  fraction: number;
}

/**
 * The working ms after which a target is at risk: the first WHOLE millisecond whose used
 * fraction reaches the threshold, by the same comparison `slaStatus` uses for its state.
 * `totalMs * threshold` itself is any real number (75 % of 32,400,917 ms is 24,300,687.75),
 * and an instant must be a whole millisecond: PostgreSQL refuses a fraction in a bigint
 * column, and SQLite would store it as a REAL (docs/design.md, "Instants").
 */
export function atRiskWorkingMs(totalMs: number, threshold: number): number {
  if (!(totalMs > 0)) return 0;
  // Start near the product, then step to the exact boundary: floating error (0.7 * 10 is
  // 7.000000000000001) must not move the instant by a millisecond either way.
  let k = Math.max(0, Math.ceil(totalMs * threshold) - 1);
  while (k > 0 && (k - 1) / totalMs >= threshold) k -= 1;
  while (k / totalMs < threshold) k += 1;
  return k;
}

export function slaStatus(input: StatusInput): SlaStatus {
  const threshold = input.atRiskThreshold ?? DEFAULT_AT_RISK_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError('atRiskThreshold must be in (0, 1]');
  const due = dueAt(input);
  const clock = clockFor(input.calendar, input.target);
  const totalMs = workingMsBetween(clock, input.start, due, input.pauses);
  const metAt = input.metAt ?? null;
  const until = metAt !== null ? Math.min(metAt, input.now) : input.now;
  const elapsedMs = workingMsBetween(clock, input.start, until, input.pauses);
  const fraction = totalMs > 0 ? elapsedMs / totalMs : 1;
  let state: SlaState;
  if (metAt !== null && metAt <= input.now) state = metAt <= due ? 'met' : 'metLate';
  else if (input.now > due) state = 'breached';
  else if (fraction >= threshold) state = 'atRisk';
  else state = 'ok';
  return {
    state,
    dueAt: due,
    atRiskAt: addWorkingMs(clock, input.start, atRiskWorkingMs(totalMs, threshold), input.pauses),
    breachAt: due + 1,
    totalMs,
    elapsedMs,
    remainingMs: totalMs - elapsedMs,
    fraction,
  };
}
