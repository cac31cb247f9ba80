import { describe, expect, it } from 'vitest';
import { CalendarDocumentError, parseCalendarDocument } from '../../src/core/calendar/index.ts';
import { PLAIN } from './calendars.ts';

function issuesOf(doc: unknown): string[] {
  try {
    parseCalendarDocument(doc);
  } catch (e) {
    if (e instanceof CalendarDocumentError) return e.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('calendar document validation', () => {
  it('accepts the documented example, with optional parts left out', () => {
    expect(issuesOf(PLAIN)).toEqual([]);
    expect(issuesOf({ timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '12:00'], ['13:00', '18:00']] } })).toEqual([]);
    expect(
      issuesOf({
        ...PLAIN,
        holidays: ['jp', '2026-08-14'],
        closures: [{ from: '12-29', to: '01-03' }, { from: '2026-08-12', to: '2026-08-13' }],
        overrides: [{ date: '2026-12-26', hours: [['09:00', '12:00']] }, { from: '2027-03-01', to: '2027-03-31', weekly: { mon: [['08:00', '21:00']] } }],
      }),
    ).toEqual([]);
  });
  it('names every bad field and says why', () => {
    const issues = issuesOf({
      timeZone: 'Asia/Tokio',
      weekly: { mon: [['18:00', '09:00']], tue: [['09:00', '12:00'], ['11:00', '13:00']], wed: [['9:00', '18:00']], fri: [['09:00', '25:00']], funday: [] },
      holidays: ['jp', '2026-02-30', 'xmas'],
      closures: [{ from: '12-29', to: '2027-01-03' }],
      overrides: [{ date: '2026-12-26' }],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timeZone: must be an IANA time zone/),
        expect.stringMatching(/^weekly.mon.0: start must be before end/),
        expect.stringMatching(/^weekly.tue: intervals of one day must not overlap/),
        expect.stringMatching(/^weekly.wed.0.0: must be a time "HH:MM"/),
        expect.stringMatching(/^weekly.fri.0.1: must be a time "HH:MM"/),
        expect.stringMatching(/^weekly: Unrecognized key: "funday"/),
        expect.stringMatching(/^holidays.1: must be "jp", a date/),
        expect.stringMatching(/^holidays.2: must be "jp", a date/),
        expect.stringMatching(/^closures.0.from: must be "MM-DD"/),
        expect.stringMatching(/^overrides.0/),
      ]),
    );
  });
  it('rejects what is not an object or misses required fields', () => {
    expect(issuesOf(null)).not.toEqual([]);
    expect(issuesOf({ weekly: {} })).toEqual([expect.stringMatching(/^timeZone:/)]);
    expect(issuesOf({ timeZone: 'Asia/Tokyo' })).toEqual([expect.stringMatching(/^weekly:/)]);
  });
  it('accepts 24:00 as an end and a 24/7 week', () => {
    const all = [['00:00', '24:00']];
    expect(issuesOf({ timeZone: 'UTC', weekly: { sun: all, mon: all, tue: all, wed: all, thu: all, fri: all, sat: all } })).toEqual([]);
  });
});
