/**
 * A deliberately naive reference for the SLA core, written independently of it:
 * walk minute by minute, deciding each minute from the calendar document's rules.
 * Tokyo has no DST, so local time is UTC+9 here. Starts and pauses are whole minutes.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import type { CalendarDocument } from '../../src/core/calendar/index.ts';

const MINUTE = 60_000;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const toMin = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

interface Local {
  date: string; // YYYY-MM-DD
  md: string; // MM-DD
  weekday: (typeof DAY_NAMES)[number];
  minute: number;
}

function local(t: number): Local {
  const d = new Date(t + 9 * 3_600_000);
  const iso = d.toISOString();
  return { date: iso.slice(0, 10), md: iso.slice(5, 10), weekday: DAY_NAMES[d.getUTCDay()]!, minute: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

function inRanges(ranges: readonly (readonly [string, string])[] | undefined, minute: number): boolean {
  return (ranges ?? []).some(([a, b]) => minute >= toMin(a) && minute < toMin(b));
}

function dayHours(doc: CalendarDocument, l: Local): readonly (readonly [string, string])[] {
  for (const o of doc.overrides ?? []) if ('date' in o && o.date === l.date) return o.hours;
  const hol = doc.holidays ?? [];
  if (hol.includes('jp') && l.date in holidayJp.holidays) return [];
  if (hol.includes(l.date) || hol.includes(l.md)) return [];
  for (const c of doc.closures ?? []) {
    if (c.from.length === 10) {
      if (l.date >= c.from && l.date <= c.to) return [];
    } else if (c.from <= c.to ? l.md >= c.from && l.md <= c.to : l.md >= c.from || l.md <= c.to) return [];
  }
  const overrides = (doc.overrides ?? []).filter((o) => !('date' in o));
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i]!;
    if ('from' in o && l.date >= o.from && l.date <= o.to && o.weekly[l.weekday]) return o.weekly[l.weekday]!;
  }
  return doc.weekly[l.weekday] ?? [];
}

export function isWorkingMinute(doc: CalendarDocument, t: number): boolean {
  const l = local(t);
  return inRanges(dayHours(doc, l), l.minute);
}

const paused = (pauses: readonly (readonly [number, number])[], t: number): boolean => pauses.some(([s, e]) => t >= s && t < e);

export function refDue(doc: CalendarDocument, start: number, minutes: number, pauses: readonly (readonly [number, number])[] = []): number {
  let t = start;
  let counted = 0;
  while (counted < minutes) {
    if (isWorkingMinute(doc, t) && !paused(pauses, t)) counted++;
    t += MINUTE;
  }
  return t;
}

export function refElapsedMinutes(doc: CalendarDocument, start: number, end: number, pauses: readonly (readonly [number, number])[] = []): number {
  let n = 0;
  for (let t = start; t < end; t += MINUTE) if (isWorkingMinute(doc, t) && !paused(pauses, t)) n++;
  return n;
}

export function refEndOfNthBusinessDay(doc: CalendarDocument, start: number, n: number): number {
  // Local midnight of the start's date, then walk whole days.
  const l = local(start);
  let dayStart = start - l.minute * MINUTE - (start % MINUTE);
  let found = 0;
  for (;;) {
    dayStart += 1440 * MINUTE;
    let lastWorking = -1;
    for (let m = 0; m < 1440; m++) if (isWorkingMinute(doc, dayStart + m * MINUTE)) lastWorking = m;
    if (lastWorking >= 0 && ++found === n) return dayStart + (lastWorking + 1) * MINUTE;
  }
}

export function refEndOfNthBusinessDayBefore(doc: CalendarDocument, start: number, n: number): number {
  const l = local(start);
  let dayStart = start - l.minute * MINUTE - (start % MINUTE);
  let found = 0;
  for (;;) {
    dayStart -= 1440 * MINUTE;
    let lastWorking = -1;
    for (let m = 0; m < 1440; m++) if (isWorkingMinute(doc, dayStart + m * MINUTE)) lastWorking = m;
    if (lastWorking >= 0 && ++found === n) return dayStart + (lastWorking + 1) * MINUTE;
  }
}
