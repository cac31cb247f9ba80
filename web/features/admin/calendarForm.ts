/**
 * The calendar editor's form ⇄ the core's calendar document, and the trial
 * calculation: the SLA core runs in the browser (pure code, no I/O), so
 * "received now, due when?" gives the same answer the server will.
 */
import { CalendarDocumentError, compileCalendar, parseCalendarDocument, WEEKDAYS, type CalendarDocument, type Weekday } from '../../../src/core/calendar/index.ts';
import { explainDeadline, type Explanation, type SlaTarget } from '../../../src/core/sla/index.ts';
import { parseInstant } from '../../../src/core/time/zone.ts';
import type { IssueParams } from '../../../src/core/issue-params.ts';

/** A problem of the form or the document, by code and params: the page words it in the UI language. */
export interface FormIssue {
  path: (string | number)[];
  code: string;
  params: IssueParams;
}

export const WEEK: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface CalendarForm {
  name: string;
  timeZone: string;
  weekly: Record<Weekday, string>;
  jpHolidays: boolean;
  extraHolidays: string;
  closures: string;
  overrides: string;
}

export function toForm(name: string, doc: CalendarDocument): CalendarForm {
  const weekly = Object.fromEntries(WEEKDAYS.map((d) => [d, (doc.weekly[d] ?? []).map(([a, b]) => `${a}-${b}`).join(', ')])) as Record<Weekday, string>;
  const holidays = doc.holidays ?? [];
  return {
    name,
    timeZone: doc.timeZone,
    weekly,
    jpHolidays: holidays.includes('jp'),
    extraHolidays: holidays.filter((h) => h !== 'jp').join('\n'),
    closures: (doc.closures ?? []).map((c) => `${c.from}..${c.to}`).join('\n'),
    overrides: doc.overrides && doc.overrides.length ? JSON.stringify(doc.overrides, null, 2) : '',
  };
}

const lines = (s: string) => s.split(/\n/).map((l) => l.trim()).filter(Boolean);

/** The raw document (validated by the core separately, so every issue is listed). */
export function toDocument(f: CalendarForm): { doc: unknown; formIssues: FormIssue[] } {
  const formIssues: FormIssue[] = [];
  const weekly: Record<string, [string, string][]> = {};
  for (const d of WEEK) {
    weekly[d] = f.weekly[d].split(/[,、]/).map((r) => r.trim()).filter(Boolean).map((r) => {
      const [a = '', b = ''] = r.split(/\s*[-–~〜]\s*/);
      return [a, b] as [string, string];
    });
  }
  let overrides: unknown = undefined;
  if (f.overrides.trim()) {
    try {
      overrides = JSON.parse(f.overrides);
    } catch {
      // The parser's own text is English ("Unexpected token …"); say it in the UI's words.
      formIssues.push({ path: ['overrides'], code: 'custom', params: { rule: 'json' } });
    }
  }
  const doc = {
    timeZone: f.timeZone.trim(),
    weekly,
    holidays: [...(f.jpHolidays ? ['jp'] : []), ...lines(f.extraHolidays)],
    closures: lines(f.closures).map((l) => {
      const [from = '', to = ''] = l.split(/\s*\.\.\s*/);
      return { from, to: to || from };
    }),
    ...(overrides !== undefined ? { overrides } : {}),
  };
  return { doc, formIssues };
}

export function validate(doc: unknown): { ok: true; doc: CalendarDocument } | { ok: false; issues: FormIssue[] } {
  try {
    return { ok: true, doc: parseCalendarDocument(doc) };
  } catch (e) {
    if (e instanceof CalendarDocumentError) return { ok: false, issues: e.issues.map((i) => ({ path: i.path, code: i.code, params: i.params })) };
    return { ok: false, issues: [{ path: [], code: 'invalid', params: {} }] };
  }
}

/**
 * Deadline for a start given as local wall time ("YYYY-MM-DDTHH:MM") in the calendar's zone;
 * 'unreadable' when the start is not a time, 'failed' when the core cannot answer.
 */
export function trial(doc: CalendarDocument, localStart: string, target: SlaTarget): Explanation | 'unreadable' | 'failed' {
  try {
    const calendar = compileCalendar(doc);
    const start = parseInstant(localStart, doc.timeZone);
    if (start === null) return 'unreadable';
    return explainDeadline({ calendar, start, target });
  } catch {
    return 'failed';
  }
}
