/**
 * The one module that converts between instants and a time zone's wall time.
 * Everything else in the core works on epoch milliseconds and civil day numbers.
 * Luxon carries the IANA rules (through Intl); we never use the process zone.
 */
import { DateTime, IANAZone } from 'luxon';
import { civilFromDayNumber, dayNumberFromCivil } from './civil.ts';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

const zones = new Map<string, IANAZone>();
function zoneOf(name: string): IANAZone {
  let z = zones.get(name);
  if (!z) {
    z = IANAZone.create(name);
    zones.set(name, z);
  }
  return z;
}

/**
 * Offsets per zone and UTC day, for days whose offset is the same at both ends.
 * Luxon asks Intl for every offset, which cost more than the whole deadline
 * computation in `hoshu sla eval`; days with a DST switch are never cached.
 */
const offsetCache = new Map<string, Map<number, number>>();
const OFFSET_CACHE_DAYS = 50_000;

/** UTC offset of the zone at an instant, in minutes (Tokyo: 540). */
export function offsetMinutesAt(zone: string, instant: number): number {
  const day = Math.floor(instant / MS_PER_DAY);
  let days = offsetCache.get(zone);
  if (!days) {
    days = new Map();
    offsetCache.set(zone, days);
  }
  const cached = days.get(day);
  if (cached !== undefined) return cached;
  const z = zoneOf(zone);
  const atStart = z.offset(day * MS_PER_DAY);
  const atEnd = z.offset((day + 1) * MS_PER_DAY - 1);
  if (atStart !== atEnd) return z.offset(instant);
  if (days.size >= OFFSET_CACHE_DAYS) days.clear();
  days.set(day, atStart);
  return atStart;
}

/**
 * The instant of a wall-clock time on a local day. `minuteOfDay` may be 1440
 * (24:00 = the next day's midnight). Deterministic around DST switches, like
 * Temporal's "compatible" disambiguation: a repeated wall time takes its earlier
 * instant, a skipped one moves forward by the gap. (Luxon seeds its guess with
 * the offset of the real "now", so its answer for repeated times depends on the
 * day it runs; that is why this is not Luxon's fromObject.)
 */
export function instantOfLocal(zone: string, dayNumber: number, minuteOfDay: number): number {
  const wall = dayNumber * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  const before = offsetMinutesAt(zone, wall - MS_PER_DAY);
  const after = offsetMinutesAt(zone, wall + MS_PER_DAY);
  const tBefore = wall - before * MS_PER_MINUTE;
  if (before === after) return tBefore;
  const tAfter = wall - after * MS_PER_MINUTE;
  const beforeValid = offsetMinutesAt(zone, tBefore) === before;
  const afterValid = offsetMinutesAt(zone, tAfter) === after;
  if (beforeValid && afterValid) return Math.min(tBefore, tAfter);
  if (afterValid) return tAfter;
  // Skipped (or valid only before): the offset before the switch carries it forward.
  return tBefore;
}

/** The local day number that contains an instant. */
export function localDayNumberOf(zone: string, instant: number): number {
  const local = instant + offsetMinutesAt(zone, instant) * MS_PER_MINUTE;
  return Math.floor(local / MS_PER_DAY);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * ISO 8601 with the zone's offset at that instant: `2026-05-01T18:00:00+09:00`.
 * Milliseconds appear only when non-zero. Hand-written because it runs once per
 * output line of `hoshu sla eval` and Luxon's formatter is ten times slower.
 */
export function formatInstant(zone: string, instant: number): string {
  const off = offsetMinutesAt(zone, instant);
  const local = instant + off * MS_PER_MINUTE;
  const dayNumber = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - dayNumber * MS_PER_DAY;
  const c = civilFromDayNumber(dayNumber);
  const h = Math.floor(msOfDay / 3_600_000);
  const mi = Math.floor((msOfDay % 3_600_000) / 60_000);
  const s = Math.floor((msOfDay % 60_000) / 1000);
  const ms = msOfDay % 1000;
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const year = c.year >= 0 && c.year <= 9999 ? pad(c.year, 4) : String(c.year);
  return `${year}-${pad(c.month)}-${pad(c.day)}T${pad(h)}:${pad(mi)}:${pad(s)}${ms ? `.${pad(ms, 3)}` : ''}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** 'HH:mm' of each minute of a day: an instant's time is then one lookup, not five pieces joined per instant. */
const HOURS_MINUTES: readonly string[] = Array.from({ length: 1440 }, (_, i) => `${pad(Math.floor(i / 60))}:${pad(i % 60)}`);
/** UTC days either side of `around` that minuteFormatter keeps in arrays (beyond them it asks the zone per instant). */
const WINDOW_DAYS = 800;

/**
 * `'YYYY-MM-DD HH:mm'` of instants in the zone (seconds dropped, as `formatInstant`'s first
 * 16 characters). A month's report formats ~420,000 instants: around `around`, the offset
 * of each UTC day and the text of each local day are kept in arrays, so an instant is two
 * lookups; a day with an offset change asks the zone for each instant of it.
 */
export function minuteFormatter(zone: string, around: number): (instant: number) => string {
  const base = Math.floor(around / MS_PER_DAY) - WINDOW_DAYS;
  const span = 2 * WINDOW_DAYS;
  // Minutes east of UTC for the whole UTC day; NaN: not looked up yet; Infinity: the offset changes that day.
  const offsets = new Float64Array(span).fill(NaN);
  const dates: Array<string | undefined> = new Array<string | undefined>(span).fill(undefined);
  const offsetAt = (instant: number): number => {
    const k = Math.floor(instant / MS_PER_DAY) - base;
    if (k < 0 || k >= span) return offsetMinutesAt(zone, instant);
    let off = offsets[k]!;
    if (Number.isNaN(off)) {
      const start = (k + base) * MS_PER_DAY;
      const first = offsetMinutesAt(zone, start);
      off = first === offsetMinutesAt(zone, start + MS_PER_DAY - 1) ? first : Infinity;
      offsets[k] = off;
    }
    return off === Infinity ? offsetMinutesAt(zone, instant) : off;
  };
  return (instant) => {
    const local = instant + offsetAt(instant) * MS_PER_MINUTE;
    const day = Math.floor(local / MS_PER_DAY);
    const j = day - base;
    let date = j >= 0 && j < span ? dates[j] : undefined;
    if (date === undefined) {
      date = formatInstant(zone, instant).slice(0, 10);
      if (j >= 0 && j < span) dates[j] = date;
    }
    return `${date} ${HOURS_MINUTES[Math.floor((local - day * MS_PER_DAY) / MS_PER_MINUTE)]!}`;
  };
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$/;

/**
 * Parses an ISO 8601 instant. With an offset or `Z` it is absolute; without one it
 * is wall time in `zone` (never the process zone). Returns null when unreadable.
 */
export function parseInstant(text: string, zone: string): number | null {
  if (WITH_OFFSET.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : null;
  }
  if (WITHOUT_OFFSET.test(text)) {
    const dt = DateTime.fromISO(text, { zone: zoneOf(zone) });
    return dt.isValid ? dt.toMillis() : null;
  }
  return null;
}

/** Day number of a civil date, re-exported so callers need only this module for dates. */
export { dayNumberFromCivil };
