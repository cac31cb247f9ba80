/**
 * Working-time arithmetic with paused intervals excluded. Each pause costs one
 * or two binary searches; with no pauses this is the calendar's own arithmetic.
 */
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { normalizePauses, type Pause } from './pauses.ts';

/** Working ms in [a, b) outside the pauses. */
export function workingMsBetween(calendar: WorkingCalendar, a: number, b: number, pauses?: readonly Pause[]): number {
  if (!(b > a)) return 0;
  let total = calendar.workingMs(a, b);
  for (const [ps, pe] of normalizePauses(pauses, a)) {
    if (ps >= b) break;
    total -= calendar.workingMs(ps, Math.min(pe, b));
  }
  return total;
}

/** The first instant at which `ms` of working time outside the pauses has elapsed since a. */
export function addWorkingMs(calendar: WorkingCalendar, a: number, ms: number, pauses?: readonly Pause[]): number {
  const ps = normalizePauses(pauses, a);
  if (ps.length === 0) return calendar.addWorking(a, ms);
  if (!(ms > 0)) return a;
  let cursor = a;
  let remaining = ms;
  for (const [pStart, pEnd] of ps) {
    if (pStart > cursor) {
      const available = calendar.workingMs(cursor, pStart);
      if (available >= remaining) return calendar.addWorking(cursor, remaining);
      remaining -= available;
    }
    cursor = Math.max(cursor, pEnd);
  }
  return calendar.addWorking(cursor, remaining);
}

/** Working intervals in [a, b) outside the pauses, in order. */
export function workingIntervalsBetween(
  calendar: WorkingCalendar,
  a: number,
  b: number,
  pauses?: readonly Pause[],
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const ps = normalizePauses(pauses, a);
  for (const [s, e] of calendar.intervals(a, b)) {
    let cursor = s;
    for (const [pStart, pEnd] of ps) {
      if (pEnd <= cursor) continue;
      if (pStart >= e) break;
      if (pStart > cursor) out.push([cursor, pStart]);
      cursor = Math.max(cursor, pEnd);
      if (cursor >= e) break;
    }
    if (cursor < e) out.push([cursor, e]);
  }
  return out;
}
