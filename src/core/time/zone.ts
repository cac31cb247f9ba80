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

/** UTC offset of the zone at an instant, in minutes (Tokyo: 540). */
export function offsetMinutesAt(zone: string, instant: number): number {
  return zoneOf(zone).offset(instant);
}

/**
 * The instant of a wall-clock time on a local day. `minuteOfDay` may be 1440
 * (24:00 = the next day's midnight). A wall time skipped by a DST jump moves
 * forward, as Luxon does.
 */
export function instantOfLocal(zone: string, dayNumber: number, minuteOfDay: number): number {
  const extraDays = Math.floor(minuteOfDay / 1440);
  const minute = minuteOfDay - extraDays * 1440;
  const c = civilFromDayNumber(dayNumber + extraDays);
  return DateTime.fromObject(
    { year: c.year, month: c.month, day: c.day, hour: Math.floor(minute / 60), minute: minute % 60 },
    { zone: zoneOf(zone) },
  ).toMillis();
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
