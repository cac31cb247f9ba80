import type { WorkingCalendar } from './working-calendar.ts';
import { instantOfLocal, localDayNumberOf } from '../time/zone.ts';

/** The 24/7 clock: every instant is working time. The zone only matters for display. */
export function alwaysOpen(timeZone = 'Asia/Tokyo'): WorkingCalendar {
  return {
    timeZone,
    workingMs: (a, b) => (b > a ? b - a : 0),
    addWorking: (a, ms) => a + ms,
    nextOpening: (a) => a,
    // Every day is a business day that closes at local midnight.
    endOfNthBusinessDayAfter: (a, n) => instantOfLocal(timeZone, localDayNumberOf(timeZone, a) + n, 1440),
    endOfNthBusinessDayBefore: (a, n) => instantOfLocal(timeZone, localDayNumberOf(timeZone, a) - n, 1440),
    intervals: (a, b) => (b > a ? [[a, b]] : []),
  };
}
