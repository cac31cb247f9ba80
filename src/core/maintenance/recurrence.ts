/**
 * Recurring maintenance windows (the nightly backup, a weekly patch slot) and
 * their concrete occurrences in the contract's time zone.
 *
 * A window is wall time: "02:00–04:00 Asia/Tokyo every day". Each occurrence is
 * made from its local date through `instantOfLocal`, never by adding 24 h to
 * the previous one, so a DST zone keeps the window at 02:00 local on both sides
 * of a switch. Expansion is over a requested range only and starts at the right
 * sequence number in O(1), so "the windows of March 2031" does not walk from the
 * series' first date, and `count` still ends the series at the right occurrence.
 */
import { formatCivil, civilFromDayNumber, parseIsoDate, weekdayOfDayNumber } from '../time/civil.ts';
import { instantOfLocal, localDayNumberOf } from '../time/zone.ts';

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export type Repeat =
  /** Every `every` days (default 1) counted from `firstDate`. */
  | { kind: 'daily'; every?: number }
  /** On these weekdays of every week. */
  | { kind: 'weekly'; weekdays: readonly WeekdayName[] };

export interface RecurringWindow {
  timeZone: string;
  /** Local start "HH:MM". */
  startTime: string;
  /**
   * Local end "HH:MM" ("24:00" allowed). An end at or before the start means the
   * next day: "23:00"–"01:00" is a two-hour window across midnight.
   */
  endTime: string;
  repeat: Repeat;
  /** Local date of the first possible occurrence, "YYYY-MM-DD". */
  firstDate: string;
  /** Last local date an occurrence may *start* on (inclusive), "YYYY-MM-DD". */
  until?: string;
  /** At most this many occurrences in the whole series (counted from firstDate). */
  count?: number;
}

export interface Occurrence {
  /** Position in the series, 0 for the first occurrence on or after firstDate. */
  index: number;
  /** Local date the occurrence starts on, "YYYY-MM-DD". */
  date: string;
  start: number;
  end: number;
}

export class RecurrenceError extends Error {
  readonly code = 'maintenance.invalid_recurrence';
  constructor(message: string) {
    super(message);
    this.name = 'RecurrenceError';
  }
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
function minuteOf(text: string, what: string): number {
  if (!TIME.test(text)) throw new RecurrenceError(`${what} must be "HH:MM" from 00:00 to 24:00, got ${JSON.stringify(text)}`);
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}
function dateOf(text: string, what: string): number {
  const day = parseIsoDate(text);
  if (day === null) throw new RecurrenceError(`${what} must be a real date "YYYY-MM-DD", got ${JSON.stringify(text)}`);
  return day;
}

/** A validated window in numbers; compile once when expanding the same window often. */
export interface CompiledWindow {
  readonly timeZone: string;
  readonly startMinute: number;
  /** Minute of the end on its own day, plus 1440 when it falls on the next day. */
  readonly endMinute: number;
  readonly firstDay: number;
  readonly lastDay: number; // inclusive; Infinity when open-ended
  readonly count: number; // Infinity when unlimited
  readonly every: number; // daily step, 0 for weekly
  /** For weekly: the weekdays in order, as offsets 0..6 from firstDay's weekday. */
  readonly weekOffsets: readonly number[];
}

export function compileWindow(w: RecurringWindow): CompiledWindow {
  const startMinute = minuteOf(w.startTime, 'startTime');
  if (startMinute === 1440) throw new RecurrenceError('startTime must be before 24:00');
  let endMinute = minuteOf(w.endTime, 'endTime');
  // An end at or before the start is on the next day; 00:00–00:00 is a full day.
  if (endMinute <= startMinute) endMinute += 1440;
  const firstDay = dateOf(w.firstDate, 'firstDate');
  const lastDay = w.until === undefined ? Infinity : dateOf(w.until, 'until');
  if (lastDay < firstDay) throw new RecurrenceError('until must not be before firstDate');
  const count = w.count === undefined ? Infinity : w.count;
  if (!(count === Infinity || (Number.isInteger(count) && count >= 1))) throw new RecurrenceError('count must be an integer >= 1');
  let every = 0;
  let weekOffsets: number[] = [];
  if (w.repeat.kind === 'daily') {
    every = w.repeat.every ?? 1;
    if (!Number.isInteger(every) || every < 1) throw new RecurrenceError('repeat.every must be an integer >= 1');
  } else {
    const set = new Set<number>();
    for (const name of w.repeat.weekdays) {
      const wd = WEEKDAY_NAMES.indexOf(name);
      if (wd < 0) throw new RecurrenceError(`unknown weekday ${JSON.stringify(name)}`);
      set.add(wd);
    }
    if (set.size === 0) throw new RecurrenceError('repeat.weekdays must name at least one weekday');
    const base = weekdayOfDayNumber(firstDay);
    weekOffsets = [...set].map((wd) => (wd - base + 7) % 7).sort((a, b) => a - b);
  }
  return { timeZone: w.timeZone, startMinute, endMinute, firstDay, lastDay, count, every, weekOffsets };
}

/** The sequence number of the first occurrence whose local start date is >= day. */
function indexAtOrAfter(c: CompiledWindow, day: number): { index: number; day: number } {
  const since = day > c.firstDay ? day - c.firstDay : 0;
  if (c.every > 0) {
    const steps = Math.ceil(since / c.every);
    return { index: steps, day: c.firstDay + steps * c.every };
  }
  const weeks = Math.floor(since / 7);
  const within = since - weeks * 7;
  const per = c.weekOffsets.length;
  for (let k = 0; k < per; k++) {
    if (c.weekOffsets[k]! >= within) return { index: weeks * per + k, day: c.firstDay + weeks * 7 + c.weekOffsets[k]! };
  }
  return { index: (weeks + 1) * per, day: c.firstDay + (weeks + 1) * 7 + c.weekOffsets[0]! };
}

/** The local date of occurrence number `index + 1`, given occurrence `index` falls on `day`. */
function nextDay(c: CompiledWindow, index: number, day: number): number {
  if (c.every > 0) return day + c.every;
  const per = c.weekOffsets.length;
  const k = index % per;
  return k + 1 < per ? day + c.weekOffsets[k + 1]! - c.weekOffsets[k]! : day + 7 - c.weekOffsets[k]! + c.weekOffsets[0]!;
}

/**
 * The occurrences that overlap [from, to), in order. An occurrence that started
 * before `from` (last night's 23:00–01:00) is included whole; callers clip.
 * Occurrences that DST squeezes to nothing are left out but keep their index.
 */
export function occurrencesBetween(window: RecurringWindow | CompiledWindow, from: number, to: number): Occurrence[] {
  const c = 'startMinute' in window ? window : compileWindow(window);
  const out: Occurrence[] = [];
  if (!(to > from)) return out;
  // A window may run into the next day (endMinute up to 2880), so start one day
  // earlier than from's local date; DST never moves a local date by more.
  const spanDays = Math.ceil(c.endMinute / 1440);
  const firstWanted = localDayNumberOf(c.timeZone, from) - spanDays;
  const lastWanted = Math.min(localDayNumberOf(c.timeZone, to), c.lastDay);
  let { index, day } = indexAtOrAfter(c, firstWanted);
  for (; day <= lastWanted && index < c.count; day = nextDay(c, index, day), index++) {
    const start = instantOfLocal(c.timeZone, day, c.startMinute);
    const endDay = day + Math.floor(c.endMinute / 1440);
    const end = instantOfLocal(c.timeZone, endDay, c.endMinute % 1440);
    if (!(end > start) || end <= from || start >= to) continue;
    out.push({ index, date: formatCivil(civilFromDayNumber(day)), start, end });
  }
  return out;
}

/** The occurrences as plain intervals, for the interval algebra. */
export function windowIntervals(window: RecurringWindow | CompiledWindow, from: number, to: number): Array<readonly [number, number]> {
  return occurrencesBetween(window, from, to).map((o) => [o.start, o.end] as const);
}

