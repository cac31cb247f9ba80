/**
 * A month of a working calendar, day by day, for the calendar editor's month view:
 * each local date with its working intervals (as local minutes of the day) and the
 * working minutes they add up to. Pure: the calendar and the zone do the work.
 */
import { civilFromDayNumber, dayNumberFromCivil } from '../time/civil.ts';
import { instantOfLocal, localDayNumberOf, MS_PER_MINUTE } from '../time/zone.ts';
import type { WorkingCalendar } from './working-calendar.ts';

export interface CalendarDay {
  /** YYYY-MM-DD. */
  date: string;
  day: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Working intervals as [from, to) local minutes of the day (to may be 1440). */
  intervals: Array<[number, number]>;
  workingMinutes: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function monthOfCalendar(calendar: WorkingCalendar, year: number, month: number): CalendarDay[] {
  const zone = calendar.timeZone;
  const first = dayNumberFromCivil(year, month, 1);
  const next = month === 12 ? dayNumberFromCivil(year + 1, 1, 1) : dayNumberFromCivil(year, month + 1, 1);
  const out: CalendarDay[] = [];
  for (let d = first; d < next; d++) {
    const start = instantOfLocal(zone, d, 0);
    const end = instantOfLocal(zone, d + 1, 0);
    const intervals = calendar.intervals(start, end).map(([a, b]): [number, number] => {
      // Minutes since local midnight, through the zone (a DST day is not 1440 minutes of wall time).
      const local = (t: number) => (localDayNumberOf(zone, t) > d ? 1440 : Math.round((t - start) / MS_PER_MINUTE));
      return [local(a), local(b)];
    });
    const c = civilFromDayNumber(d);
    out.push({
      date: `${c.year}-${pad(c.month)}-${pad(c.day)}`,
      day: c.day,
      // Day 0 (1970-01-01) was a Thursday.
      weekday: (((d + 4) % 7) + 7) % 7,
      intervals,
      workingMinutes: Math.round(calendar.workingMs(start, end) / MS_PER_MINUTE),
    });
  }
  return out;
}
