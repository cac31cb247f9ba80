/**
 * The calendar document: the JSON that users import/export and the API stores.
 * Validation reports every problem with its path, so an editor can point at it.
 */
import { z } from 'zod';
import { isValidTimeZone } from '../time/zone.ts';
import { parseIsoDate } from '../time/civil.ts';
import { zodIssueParams, type IssueParams } from '../issue-params.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** [start, end) as "HH:MM"; end may be "24:00". */
export type HoursRange = readonly [string, string];
export type WeeklyHours = Partial<Record<Weekday, readonly HoursRange[]>>;

export interface CalendarDocument {
  timeZone: string;
  weekly: WeeklyHours;
  /** "jp" = bundled Japanese public holidays; "YYYY-MM-DD" one-off; "MM-DD" every year. */
  holidays?: string[];
  /** "MM-DD" bounds repeat yearly (may wrap the year end); "YYYY-MM-DD" bounds are one-off. Inclusive. */
  closures?: { from: string; to: string }[];
  overrides?: CalendarOverride[];
}

export type CalendarOverride =
  | { date: string; hours: HoursRange[] }
  | { from: string; to: string; weekly: WeeklyHours };

export interface DocumentIssue {
  path: (string | number)[];
  /** English, for logs and the CLI; a UI renders `code` + `params` in its language. */
  message: string;
  /** zod's issue code; custom checks name their rule in `params.rule`. */
  code: string;
  params: IssueParams;
}

export class CalendarDocumentError extends Error {
  constructor(readonly issues: DocumentIssue[]) {
    super(`invalid calendar: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'CalendarDocumentError';
  }
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
export function minuteOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const time = z.string().refine((s) => TIME.test(s), { message: 'must be a time "HH:MM" from 00:00 to 24:00', params: { rule: 'time_of_day' } });
const range = z
  .tuple([time, time])
  .refine(([a, b]) => !TIME.test(a) || !TIME.test(b) || minuteOfDay(a) < minuteOfDay(b), { message: 'start must be before end', params: { rule: 'start_before_end' } });

const dayHours = z.array(range).max(48).superRefine((ranges, ctx) => {
  const sorted = ranges
    .filter(([a, b]) => TIME.test(a) && TIME.test(b))
    .map(([a, b]) => [minuteOfDay(a), minuteOfDay(b)] as const)
    .sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![0] < sorted[i - 1]![1]) ctx.addIssue({ code: 'custom', message: 'intervals of one day must not overlap', params: { rule: 'no_overlap' } });
  }
});

const weekly = z.strictObject({
  sun: dayHours.optional(),
  mon: dayHours.optional(),
  tue: dayHours.optional(),
  wed: dayHours.optional(),
  thu: dayHours.optional(),
  fri: dayHours.optional(),
  sat: dayHours.optional(),
});

const isoDate = z.string().refine((s) => parseIsoDate(s) !== null, { message: 'must be a real date "YYYY-MM-DD"', params: { rule: 'real_date' } });
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const isMonthDay = (s: string): boolean => {
  const m = MONTH_DAY.exec(s);
  // 2000 is a leap year, so 02-29 is accepted as a yearly date.
  return m !== null && parseIsoDate(`2000-${s}`) !== null;
};

const holiday = z
  .string()
  .refine((s) => s === 'jp' || parseIsoDate(s) !== null || isMonthDay(s), { message: 'must be "jp", a date "YYYY-MM-DD" or a yearly date "MM-DD"', params: { rule: 'holiday' } });

const closure = z
  .strictObject({ from: z.string(), to: z.string() })
  .superRefine((c, ctx) => {
    const yearly = isMonthDay(c.from) && isMonthDay(c.to);
    const fromDay = parseIsoDate(c.from);
    const toDay = parseIsoDate(c.to);
    if (yearly) return;
    if (fromDay === null) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be "MM-DD" (yearly) or "YYYY-MM-DD" (one-off), like "to"', params: { rule: 'closure_bound' } });
    if (toDay === null) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be "MM-DD" (yearly) or "YYYY-MM-DD" (one-off), like "from"', params: { rule: 'closure_bound' } });
    if (fromDay !== null && toDay !== null && toDay < fromDay) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before "from"', params: { rule: 'not_before_start' } });
  });

const dateOverride = z.strictObject({ date: isoDate, hours: dayHours });
const rangeOverride = z
  .strictObject({ from: isoDate, to: isoDate, weekly })
  .refine((o) => (parseIsoDate(o.to) ?? 0) >= (parseIsoDate(o.from) ?? 0), { path: ['to'], message: 'must not be before "from"', params: { rule: 'not_before_start' } });
const override = z.union([dateOverride, rangeOverride], {
  error: 'must be {"date", "hours"} or {"from", "to", "weekly"}',
});
const englishErrors = z.locales.en().localeError;

const documentSchema = z.strictObject({
  timeZone: z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone such as "Asia/Tokyo"', params: { rule: 'time_zone' } }),
  weekly,
  // Bounded so a document stays a calendar (a 20,000-entry list was stored as is before):
  // room for decades of one-off dates, far beyond any real desk's needs.
  holidays: z.array(holiday).max(2000).optional(),
  closures: z.array(closure).max(1000).optional(),
  overrides: z.array(override).max(2000).optional(),
});

/** Validates a calendar document; throws CalendarDocumentError listing every issue. */
export function parseCalendarDocument(input: unknown): CalendarDocument {
  // The English messages stay the core's own, whatever error map the caller configured.
  const result = documentSchema.safeParse(input, { reportInput: true, error: englishErrors });
  if (!result.success) {
    throw new CalendarDocumentError(
      result.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message, code: i.code, params: zodIssueParams(i),
      })),
    );
  }
  return result.data as CalendarDocument;
}

/** Mon–Fri 09:00–18:00 Asia/Tokyo with Japanese holidays and the year-end closure: the usual vendor calendar. */
export const STANDARD_JP_CALENDAR: CalendarDocument = {
  timeZone: 'Asia/Tokyo',
  weekly: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
    sat: [],
    sun: [],
  },
  holidays: ['jp'],
  closures: [{ from: '12-29', to: '01-03' }],
};
