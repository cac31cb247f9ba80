export {
  checkNotice,
  DEFAULT_NOTICE_BUSINESS_DAYS,
  latestAnnouncement,
  NoticeError,
  type NoticeDecision,
  type NoticeInput,
} from './notice.ts';
export {
  compileWindow,
  occurrencesBetween,
  RecurrenceError,
  WEEKDAY_NAMES,
  windowIntervals,
  type CompiledWindow,
  type Occurrence,
  type RecurringWindow,
  type Repeat,
  type WeekdayName,
} from './recurrence.ts';
