export {
  parseCalendarDocument,
  CalendarDocumentError,
  STANDARD_JP_CALENDAR,
  WEEKDAYS,
  type CalendarDocument,
  type CalendarOverride,
  type DocumentIssue,
  type HoursRange,
  type Weekday,
  type WeeklyHours,
} from './document.ts';
export { compileCalendar, CompiledCalendar } from './compile.ts';
export { alwaysOpen } from './always-open.ts';
export { CalendarCache } from './cache.ts';
export { CalendarRangeError, type WorkingCalendar } from './working-calendar.ts';
export { isJapaneseHoliday, japaneseHolidayName, JP_HOLIDAYS_FIRST_YEAR, JP_HOLIDAYS_LAST_YEAR } from './holidays-jp.ts';
export { versionedCalendar, cutOvers, type CalendarVersionInput, type CutOver } from './versioned.ts';
export { monthOfCalendar, type CalendarDay } from './month.ts';
