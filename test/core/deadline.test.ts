import { describe, expect, it } from 'vitest';
import { compileCalendar, CalendarRangeError, type CalendarDocument } from '../../src/core/calendar/index.ts';
import { dueAt, explainDeadline, type Pause, type SlaTarget } from '../../src/core/sla/index.ts';
import { formatInstant } from '../../src/core/time/zone.ts';
import { jst, LUNCH, PLAIN, SATURDAY } from './calendars.ts';

const plain = compileCalendar(PLAIN);
const lunch = compileCalendar(LUNCH);
const saturday = compileCalendar(SATURDAY);
const business = (minutes: number): SlaTarget => ({ kind: 'business', minutes });
const nth = (n: number): SlaTarget => ({ kind: 'endOfNthBusinessDay', n });
const due = (cal: ReturnType<typeof compileCalendar>, start: string, target: SlaTarget, pauses?: Pause[]): string =>
  formatInstant('Asia/Tokyo', dueAt({ calendar: cal, start: jst(start), target, pauses }));

describe('business-minutes deadlines (decided semantics)', () => {
  it('may land exactly on a closing time: Mon 17:50 + 10 min → Mon 18:00', () => {
    expect(due(plain, '2026-05-11T17:50:00', business(10))).toBe('2026-05-11T18:00:00+09:00');
  });
  it('keeps the seconds of the start: Mon 17:50:30 + 10 min → Tue 09:00:30', () => {
    expect(due(plain, '2026-05-11T17:50:30', business(10))).toBe('2026-05-12T09:00:30+09:00');
  });
  it('one business day from Mon 15:00 is Tue 15:00 (SPEC §2)', () => {
    expect(due(plain, '2026-05-11T15:00:00', business(540))).toBe('2026-05-12T15:00:00+09:00');
  });
  it('starts exactly at opening', () => {
    expect(due(plain, '2026-05-11T09:00:00', business(540))).toBe('2026-05-11T18:00:00+09:00');
    expect(due(plain, '2026-05-11T09:00:00', business(541))).toBe('2026-05-12T09:01:00+09:00');
  });
  it('starts exactly at closing: 18:00 is closed, the clock counts from the next opening', () => {
    expect(due(plain, '2026-05-11T18:00:00', business(1))).toBe('2026-05-12T09:01:00+09:00');
  });
  it('starts before opening or on a weekend: counts from the next opening', () => {
    expect(due(plain, '2026-05-11T07:12:00', business(10))).toBe('2026-05-11T09:10:00+09:00');
    expect(due(plain, '2026-05-16T11:00:00', business(10))).toBe('2026-05-18T09:10:00+09:00');
  });
  it('lunch break: reaches 12:00 exactly, skips 12:00–13:00, starts inside lunch count from 13:00', () => {
    expect(due(lunch, '2026-05-11T11:50:00', business(10))).toBe('2026-05-11T12:00:00+09:00');
    expect(due(lunch, '2026-05-11T11:50:00', business(11))).toBe('2026-05-11T13:01:00+09:00');
    expect(due(lunch, '2026-05-11T12:00:00', business(10))).toBe('2026-05-11T13:10:00+09:00');
    expect(due(lunch, '2026-05-11T12:30:00', business(10))).toBe('2026-05-11T13:10:00+09:00');
    expect(due(lunch, '2026-05-11T13:00:00', business(300))).toBe('2026-05-11T18:00:00+09:00');
    // Eight working hours a day: 09:00 + 540 min = next day 10:00.
    expect(due(lunch, '2026-05-11T09:00:00', business(540))).toBe('2026-05-12T10:00:00+09:00');
  });
  it('Golden Week 2026: 4/29, 5/3–5/6 (5/6 substitute holiday) are closed', () => {
    expect(due(plain, '2026-04-30T17:00:00', business(540))).toBe('2026-05-01T17:00:00+09:00');
    expect(due(plain, '2026-05-01T17:00:00', business(120))).toBe('2026-05-07T10:00:00+09:00');
    expect(due(plain, '2026-04-28T17:00:00', business(120))).toBe('2026-04-30T10:00:00+09:00');
  });
  it("Silver Week 2026: 9/22 is a citizens' holiday between two holidays", () => {
    expect(due(plain, '2026-09-18T17:00:00', business(120))).toBe('2026-09-24T10:00:00+09:00');
  });
  it('year-end closure 12/29–1/3 wraps the year', () => {
    expect(due(plain, '2026-12-28T15:00:00', business(540))).toBe('2027-01-04T15:00:00+09:00');
    // 2027-01-04 is Monday; 2028-01-03 is Monday too, still closed: the first day open is 1/4.
    expect(due(plain, '2027-12-28T17:00:00', business(120))).toBe('2028-01-04T10:00:00+09:00');
  });
  it('N spanning long holidays: 3 business days across the year end', () => {
    expect(due(plain, '2026-12-25T10:00:00', business(3 * 540))).toBe('2027-01-05T10:00:00+09:00');
  });
  it('Saturday mornings count when the calendar says so', () => {
    expect(due(saturday, '2026-05-15T17:00:00', business(120))).toBe('2026-05-16T11:00:00+09:00');
    expect(due(saturday, '2026-05-16T12:30:00', business(60))).toBe('2026-05-18T09:30:00+09:00');
  });
});

describe('end of the Nth business day', () => {
  it('Fri 19:00, n=1 → Mon 18:00', () => {
    expect(due(plain, '2026-05-15T19:00:00', nth(1))).toBe('2026-05-18T18:00:00+09:00');
  });
  it('Tue 08:00, n=1 → Wed 18:00 (counted from the start date, not the next opening)', () => {
    expect(due(plain, '2026-05-12T08:00:00', nth(1))).toBe('2026-05-13T18:00:00+09:00');
  });
  it('across Golden Week and with a lunch calendar the closing is the last interval end', () => {
    expect(due(plain, '2026-04-30T10:00:00', nth(1))).toBe('2026-05-01T18:00:00+09:00');
    expect(due(plain, '2026-04-30T10:00:00', nth(2))).toBe('2026-05-07T18:00:00+09:00');
    expect(due(lunch, '2026-05-11T10:00:00', nth(1))).toBe('2026-05-12T18:00:00+09:00');
  });
  it('a Saturday with hours is a business day closing at 13:00', () => {
    expect(due(saturday, '2026-05-15T10:00:00', nth(1))).toBe('2026-05-16T13:00:00+09:00');
  });
  it('pauses push it by the working time they swallowed', () => {
    // Paused Wed 10:00–12:00: two working hours lost, so Wed 18:00 becomes Thu 11:00.
    expect(due(plain, '2026-05-12T09:00:00', nth(1), [[jst('2026-05-13T10:00:00'), jst('2026-05-13T12:00:00')]])).toBe('2026-05-14T11:00:00+09:00');
  });
});

describe('pauses (waiting for the client)', () => {
  it('are excluded from elapsed time and move the deadline', () => {
    const pause: Pause = [jst('2026-05-11T10:00:00'), jst('2026-05-11T11:00:00')];
    expect(due(plain, '2026-05-11T09:00:00', business(120), [pause])).toBe('2026-05-11T12:00:00+09:00');
  });
  it('may span closings and holidays: only their working time counts', () => {
    // Paused from Thu 4/30 17:30 over Golden Week to Thu 5/7 10:00.
    const pause: Pause = [jst('2026-04-30T17:30:00'), jst('2026-05-07T10:00:00')];
    expect(due(plain, '2026-04-30T17:00:00', business(120), [pause])).toBe('2026-05-07T11:30:00+09:00');
  });
  it('overlapping and unsorted pauses are merged; a pause before the start is ignored', () => {
    const pauses: Pause[] = [
      [jst('2026-05-11T10:30:00'), jst('2026-05-11T11:00:00')],
      [jst('2026-05-11T10:00:00'), jst('2026-05-11T10:45:00')],
      [jst('2026-05-08T10:00:00'), jst('2026-05-08T11:00:00')],
    ];
    expect(due(plain, '2026-05-11T09:00:00', business(120), pauses)).toBe('2026-05-11T12:00:00+09:00');
  });
  it('a pause covering the start delays the clock start', () => {
    const pause: Pause = [jst('2026-05-11T08:00:00'), jst('2026-05-11T09:30:00')];
    expect(due(plain, '2026-05-11T09:00:00', business(10), [pause])).toBe('2026-05-11T09:40:00+09:00');
  });
  it('also apply to 24/7 targets', () => {
    const pause: Pause = [jst('2026-05-16T23:00:00'), jst('2026-05-17T01:00:00')];
    expect(due(plain, '2026-05-16T22:00:00', { kind: 'calendar', minutes: 480 }, [pause])).toBe('2026-05-17T08:00:00+09:00');
  });
});

describe('calendar (24/7) targets', () => {
  it('ignore business hours and holidays', () => {
    expect(due(plain, '2026-05-16T23:55:00', { kind: 'calendar', minutes: 10 })).toBe('2026-05-17T00:05:00+09:00');
    expect(due(plain, '2026-12-31T20:00:00', { kind: 'calendar', minutes: 480 })).toBe('2027-01-01T04:00:00+09:00');
    expect(due(plain, '2026-05-01T10:00:00', { kind: 'calendar', minutes: 7 * 1440 })).toBe('2026-05-08T10:00:00+09:00');
  });
});

describe('holidays, closures and overrides from the document', () => {
  const doc: CalendarDocument = {
    ...PLAIN,
    holidays: ['jp', '2026-08-14', '06-01'],
    closures: [{ from: '12-29', to: '01-03' }, { from: '2026-08-12', to: '2026-08-13' }],
    overrides: [
      { date: '2026-12-26', hours: [['09:00', '12:00']] },
      { date: '2026-12-29', hours: [['10:00', '11:00']] },
      { from: '2027-03-01', to: '2027-03-31', weekly: { mon: [['08:00', '21:00']] } },
    ],
  };
  const cal = compileCalendar(doc);
  it('custom one-off and yearly holidays and one-off closures are closed', () => {
    // 8/10 is Monday; 8/11 Mountain Day, 8/12–13 closure, 8/14 custom holiday, then the weekend.
    expect(due(cal, '2026-08-10T17:00:00', business(120))).toBe('2026-08-17T10:00:00+09:00');
    expect(due(cal, '2027-05-31T17:00:00', business(120))).toBe('2027-06-02T10:00:00+09:00');
  });
  it('a dated override opens a Saturday and wins over the year-end closure', () => {
    expect(due(cal, '2026-12-25T17:00:00', business(120))).toBe('2026-12-26T10:00:00+09:00');
    expect(due(cal, '2026-12-28T17:30:00', business(60))).toBe('2026-12-29T10:30:00+09:00');
  });
  it('a range override changes the weekly hours for its days only', () => {
    expect(due(cal, '2027-03-01T20:00:00', business(30))).toBe('2027-03-01T20:30:00+09:00');
    expect(due(cal, '2027-03-02T17:50:00', business(30))).toBe('2027-03-03T09:20:00+09:00');
    expect(due(cal, '2027-04-05T17:50:00', business(30))).toBe('2027-04-06T09:20:00+09:00');
  });
  it('a holiday inside a range override stays a holiday', () => {
    // 2027-03-21 (Vernal Equinox) is a Sunday, so Monday 3/22 is its substitute holiday.
    expect(formatInstant('Asia/Tokyo', cal.nextOpening(jst('2027-03-22T00:00:00')))).toBe('2027-03-23T09:00:00+09:00');
  });
});

describe('limits of the holiday data', () => {
  it('refuses dates past the bundled Japanese holiday data instead of saying "no holiday"', () => {
    expect(() => dueAt({ calendar: compileCalendar(PLAIN), start: jst('2051-01-05T10:00:00'), target: business(10) })).toThrow(CalendarRangeError);
    expect(() => dueAt({ calendar: compileCalendar(PLAIN), start: jst('2051-01-05T10:00:00'), target: business(10) })).toThrow(/holiday data covers 1970–2050/);
    expect(() => dueAt({ calendar: compileCalendar(PLAIN), start: jst('2050-12-27T10:00:00'), target: business(2000) })).toThrow(/2050/);
  });
  it('a calendar without "jp" has no such limit', () => {
    const noJp = compileCalendar({ ...PLAIN, holidays: [] });
    expect(formatInstant('Asia/Tokyo', dueAt({ calendar: noJp, start: jst('2051-01-05T10:00:00'), target: business(10) }))).toBe('2051-01-05T10:10:00+09:00');
  });
  it('the index grows on demand instead of covering every year up front', () => {
    const cal = compileCalendar(PLAIN);
    dueAt({ calendar: cal, start: jst('2026-05-11T10:00:00'), target: business(10) });
    const [from, to] = cal.indexedYears;
    expect(to - from).toBeLessThanOrEqual(4);
    dueAt({ calendar: cal, start: jst('2040-05-11T10:00:00'), target: business(10) });
    expect(cal.indexedYears[1]).toBeGreaterThanOrEqual(2040);
    expect(cal.indexedYears[0]).toBe(from);
  });
});

describe('time zones other than Tokyo', () => {
  it('follows DST: New York 09–17 across the March 2026 switch', () => {
    const ny = compileCalendar({ timeZone: 'America/New_York', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } });
    const start = Date.parse('2026-03-06T16:00:00-05:00');
    expect(formatInstant('America/New_York', dueAt({ calendar: ny, start, target: business(120) }))).toBe('2026-03-09T10:00:00-04:00');
  });
});

describe('explanations', () => {
  it('list the counted working intervals in local time, pauses cut out', () => {
    const pause: Pause = [jst('2026-05-11T17:30:00'), jst('2026-05-12T10:00:00')];
    const e = explainDeadline({ calendar: lunch, start: jst('2026-05-11T11:00:00'), target: business(480), pauses: [pause] });
    expect(e.due).toBe('2026-05-12T13:30:00+09:00');
    expect(e.counted.map((c) => [c.from, c.to, c.seconds / 60])).toEqual([
      ['2026-05-11T11:00:00+09:00', '2026-05-11T12:00:00+09:00', 60],
      ['2026-05-11T13:00:00+09:00', '2026-05-11T17:30:00+09:00', 270],
      ['2026-05-12T10:00:00+09:00', '2026-05-12T12:00:00+09:00', 120],
      ['2026-05-12T13:00:00+09:00', '2026-05-12T13:30:00+09:00', 30],
    ]);
    expect(e.totalSeconds).toBe(480 * 60);
    expect(e.paused).toEqual([{ from: '2026-05-11T17:30:00+09:00', to: '2026-05-12T10:00:00+09:00' }]);
  });
});

describe('end of the Nth business day before (for notice rules)', () => {
  const before = (start: string, n: number): string => formatInstant('Asia/Tokyo', plain.endOfNthBusinessDayBefore(jst(start), n));
  it('counts business days strictly before the local date', () => {
    // Thursday → Wednesday (n=1), Tuesday (n=2).
    expect(before('2026-05-14T10:00:00', 1)).toBe('2026-05-13T18:00:00+09:00');
    expect(before('2026-05-14T10:00:00', 2)).toBe('2026-05-12T18:00:00+09:00');
    // Monday → the Friday before.
    expect(before('2026-05-18T02:00:00', 1)).toBe('2026-05-15T18:00:00+09:00');
  });
  it('skips holidays and the year-end closure, growing the index backwards', () => {
    expect(before('2026-05-07T10:00:00', 2)).toBe('2026-04-30T18:00:00+09:00');
    expect(before('2027-01-04T10:00:00', 1)).toBe('2026-12-28T18:00:00+09:00');
    const fresh = compileCalendar(PLAIN);
    expect(formatInstant('Asia/Tokyo', fresh.endOfNthBusinessDayBefore(jst('2026-05-14T10:00:00'), 700))).toMatch(/^2023-/);
  });
});
