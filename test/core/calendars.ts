import type { CalendarDocument, WeeklyHours } from '../../src/core/calendar/index.ts';

const weekdays = (hours: [string, string][]): WeeklyHours => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] });

/** Plain 09–18 on weekdays, Japanese holidays, year-end closure. */
export const PLAIN: CalendarDocument = {
  timeZone: 'Asia/Tokyo',
  weekly: weekdays([['09:00', '18:00']]),
  holidays: ['jp'],
  closures: [{ from: '12-29', to: '01-03' }],
};

/** 09–12 and 13–18 with a lunch break. */
export const LUNCH: CalendarDocument = {
  timeZone: 'Asia/Tokyo',
  weekly: weekdays([['09:00', '12:00'], ['13:00', '18:00']]),
  holidays: ['jp'],
  closures: [{ from: '12-29', to: '01-03' }],
};

/** Weekdays 09–18 plus Saturday mornings 10–13. */
export const SATURDAY: CalendarDocument = {
  timeZone: 'Asia/Tokyo',
  weekly: { ...weekdays([['09:00', '18:00']]), sat: [['10:00', '13:00']] },
  holidays: ['jp'],
  closures: [{ from: '12-29', to: '01-03' }],
};

/** Tokyo wall time to epoch ms, written out so tests read like the calendar. */
export const jst = (local: string): number => {
  const ms = Date.parse(`${local}+09:00`);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${local}`);
  return ms;
};
