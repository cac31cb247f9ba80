/** The calendar editor's month view: a month of the standard Japanese calendar, day by day. */
import { describe, expect, it } from 'vitest';
import { compileCalendar, monthOfCalendar, parseCalendarDocument, STANDARD_JP_CALENDAR } from '../../src/core/calendar/index.ts';

describe('monthOfCalendar', () => {
  it('gives each date its working hours: weekdays 9–18 (540 min), weekends, holidays and closures closed, an override shortened', () => {
    const doc = parseCalendarDocument({ ...STANDARD_JP_CALENDAR, overrides: [{ date: '2026-12-25', hours: [['09:00', '12:00']] }] });
    const days = monthOfCalendar(compileCalendar(doc), 2026, 12);
    expect(days).toHaveLength(31);
    const byDate = new Map(days.map((d) => [d.date, d]));
    expect(byDate.get('2026-12-01')).toMatchObject({ day: 1, weekday: 2, workingMinutes: 540, intervals: [[540, 1080]] });
    expect(byDate.get('2026-12-05')).toMatchObject({ weekday: 6, workingMinutes: 0, intervals: [] });
    expect(byDate.get('2026-12-25')).toMatchObject({ workingMinutes: 180, intervals: [[540, 720]] });
    // The year-end closure (12-29..01-03).
    expect(byDate.get('2026-12-29')?.workingMinutes).toBe(0);
    // A Japanese public holiday: 2027-01-11 is Coming-of-Age Day.
    const jan = monthOfCalendar(compileCalendar(doc), 2027, 1);
    expect(jan.find((d) => d.date === '2027-01-11')?.workingMinutes).toBe(0);
    expect(jan.find((d) => d.date === '2027-01-12')?.workingMinutes).toBe(540);
  });

  it('counts a 24/7 calendar across a DST switch in wall minutes', () => {
    const doc = parseCalendarDocument({ timeZone: 'America/New_York', weekly: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]])) });
    const march = monthOfCalendar(compileCalendar(doc), 2026, 3);
    const dst = march.find((d) => d.date === '2026-03-08')!;
    expect(dst.workingMinutes).toBe(23 * 60);
    expect(dst.intervals).toEqual([[0, 1440]]);
  });
});
