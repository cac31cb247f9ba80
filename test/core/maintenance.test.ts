import { describe, expect, it } from 'vitest';
import { alwaysOpen, compileCalendar } from '../../src/core/calendar/index.ts';
import {
  checkNotice,
  latestAnnouncement,
  NoticeError,
  occurrencesBetween,
  RecurrenceError,
  type RecurringWindow,
} from '../../src/core/maintenance/index.ts';
import { formatInstant } from '../../src/core/time/zone.ts';
import { jst, PLAIN, SATURDAY } from './calendars.ts';

const cal = compileCalendar(PLAIN);
const show = (ms: number): string => formatInstant('Asia/Tokyo', ms);
const latest = (start: string, n?: number): string => show(latestAnnouncement(cal, jst(start), n));

describe('notice rule: latest announcement = closing of the Nth business day before the start date', () => {
  it.each([
    // [start (JST), N, latest allowed announcement]
    ['2026-03-18T10:00:00', 2, '2026-03-16T18:00:00+09:00'], // Wed → Mon: an ordinary week
    ['2026-03-16T10:00:00', 2, '2026-03-12T18:00:00+09:00'], // Mon → Thu: the weekend is skipped
    ['2026-03-16T02:00:00', 2, '2026-03-12T18:00:00+09:00'], // the time of day does not matter
    ['2026-03-16T23:59:00', 2, '2026-03-12T18:00:00+09:00'],
    ['2026-03-14T02:00:00', 2, '2026-03-12T18:00:00+09:00'], // Saturday start counts back from Saturday
    ['2026-03-17T02:00:00', 2, '2026-03-13T18:00:00+09:00'], // Tue → Fri
    ['2026-03-23T02:00:00', 2, '2026-03-18T18:00:00+09:00'], // Mon after the equinox (Fri 3/20): Thu 19, Wed 18
    ['2026-05-01T10:00:00', 2, '2026-04-28T18:00:00+09:00'], // Showa Day 4/29 skipped
    ['2026-05-07T02:00:00', 2, '2026-04-30T18:00:00+09:00'], // after Golden Week: 5/1 Fri, 4/30 Thu
    ['2026-05-06T02:00:00', 2, '2026-04-30T18:00:00+09:00'], // on the substitute holiday itself
    ['2026-05-08T02:00:00', 2, '2026-05-01T18:00:00+09:00'], // 5/7 Thu, then back over 5/3–5/6 to Fri 5/1
    ['2027-01-04T02:00:00', 2, '2026-12-25T18:00:00+09:00'], // first Monday after the 12/29–1/3 closure: 12/28, 12/25
    ['2026-12-31T02:00:00', 2, '2026-12-25T18:00:00+09:00'], // inside the closure
    ['2027-01-05T02:00:00', 2, '2026-12-28T18:00:00+09:00'], // 1/4 Mon, then 12/28 across the closure
    ['2026-03-16T10:00:00', 1, '2026-03-13T18:00:00+09:00'], // per contract: 1 day
    ['2026-03-16T10:00:00', 5, '2026-03-09T18:00:00+09:00'], // per contract: 5 days = a full week
  ])('maintenance at %s with %i days → announce by %s', (start, n, expected) => {
    expect(latest(start, n)).toBe(expected);
  });

  it('defaults to 2 business days', () => {
    expect(latest('2026-03-16T10:00:00')).toBe('2026-03-12T18:00:00+09:00');
  });

  it('0 days of notice means "before it starts"', () => {
    expect(latest('2026-03-16T10:00:00', 0)).toBe('2026-03-16T10:00:00+09:00');
  });

  it('rejects a negative or fractional number of days', () => {
    expect(() => latestAnnouncement(cal, jst('2026-03-16T10:00:00'), -1)).toThrow(NoticeError);
    expect(() => latestAnnouncement(cal, jst('2026-03-16T10:00:00'), 1.5)).toThrow(NoticeError);
  });

  it('uses the contract calendar: a working Saturday counts', () => {
    const sat = compileCalendar(SATURDAY);
    // Mon 3/16: Sat 3/14 is day 1 (10–13), Fri 3/13 is day 2.
    expect(show(latestAnnouncement(sat, jst('2026-03-16T10:00:00'), 2))).toBe('2026-03-13T18:00:00+09:00');
    expect(show(latestAnnouncement(sat, jst('2026-03-16T10:00:00'), 1))).toBe('2026-03-14T13:00:00+09:00');
  });

  it('a 24/7 calendar counts calendar days, ending at midnight', () => {
    // Mon 3/16: Sun 15 is day 1, Sat 14 day 2, which closes at 24:00 = Sun 00:00.
    expect(show(latestAnnouncement(alwaysOpen('Asia/Tokyo'), jst('2026-03-16T10:00:00'), 2))).toBe('2026-03-15T00:00:00+09:00');
  });
});

describe('checkNotice', () => {
  const start = jst('2026-05-07T02:00:00');
  const deadline = jst('2026-04-30T18:00:00');

  it('announcing exactly at the deadline is in time; one millisecond later is late', () => {
    expect(checkNotice({ calendar: cal, start, announcedAt: deadline })).toEqual({ kind: 'ok', latestAllowed: deadline, marginMs: 0 });
    expect(checkNotice({ calendar: cal, start, announcedAt: deadline + 1 })).toEqual({ kind: 'late', latestAllowed: deadline, lateByMs: 1 });
  });

  it('an announcement during Golden Week for the day after it is late', () => {
    const d = checkNotice({ calendar: cal, start, announcedAt: jst('2026-05-01T09:00:00') });
    expect(d.kind).toBe('late');
  });

  it('an announcement after the start is late', () => {
    expect(checkNotice({ calendar: cal, start, announcedAt: start + 60_000 }).kind).toBe('late');
  });

  it('emergency with a reason is accepted and says whether notice was actually short', () => {
    expect(checkNotice({ calendar: cal, start, announcedAt: jst('2026-05-06T20:00:00'), emergency: true, emergencyReason: ' data-loss bug in v2.3 ' })).toEqual({
      kind: 'emergency',
      latestAllowed: deadline,
      reason: 'data-loss bug in v2.3',
      inTime: false,
    });
    const early = checkNotice({ calendar: cal, start, announcedAt: jst('2026-04-01T10:00:00'), emergency: true, emergencyReason: 'CVE fix' });
    expect(early).toMatchObject({ kind: 'emergency', inTime: true });
  });

  it('emergency without a reason is an error', () => {
    for (const emergencyReason of [undefined, '', '   ']) {
      let caught: unknown;
      try {
        checkNotice({ calendar: cal, start, announcedAt: start, emergency: true, emergencyReason });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(NoticeError);
      expect((caught as NoticeError).code).toBe('maintenance.emergency_reason_required');
    }
  });

  it('honours the contract number of days', () => {
    expect(checkNotice({ calendar: cal, start: jst('2026-03-16T10:00:00'), announcedAt: jst('2026-03-13T12:00:00'), businessDays: 1 }).kind).toBe('ok');
    expect(checkNotice({ calendar: cal, start: jst('2026-03-16T10:00:00'), announcedAt: jst('2026-03-13T12:00:00') }).kind).toBe('late');
  });
});

describe('recurring maintenance windows', () => {
  const tokyo = (over: Partial<RecurringWindow>): RecurringWindow => ({
    timeZone: 'Asia/Tokyo',
    startTime: '02:00',
    endTime: '04:00',
    repeat: { kind: 'daily' },
    firstDate: '2026-01-01',
    ...over,
  });
  const list = (w: RecurringWindow, from: number, to: number): string[] =>
    occurrencesBetween(w, from, to).map((o) => `${o.index} ${formatInstant(w.timeZone, o.start)} – ${formatInstant(w.timeZone, o.end)}`);

  it('daily 02:00–04:00 across a month end, only inside the requested range', () => {
    expect(list(tokyo({}), jst('2026-01-30T03:00:00'), jst('2026-02-02T02:00:00'))).toEqual([
      '29 2026-01-30T02:00:00+09:00 – 2026-01-30T04:00:00+09:00', // overlaps from, included whole
      '30 2026-01-31T02:00:00+09:00 – 2026-01-31T04:00:00+09:00',
      '31 2026-02-01T02:00:00+09:00 – 2026-02-01T04:00:00+09:00',
    ]); // 2/2 02:00 starts at `to`: excluded
  });

  it('a window across midnight belongs to the day it starts and reaches into the next month', () => {
    const w = tokyo({ startTime: '23:00', endTime: '01:00' });
    expect(list(w, jst('2026-03-01T00:00:00'), jst('2026-03-02T00:00:00'))).toEqual([
      '58 2026-02-28T23:00:00+09:00 – 2026-03-01T01:00:00+09:00',
      '59 2026-03-01T23:00:00+09:00 – 2026-03-02T01:00:00+09:00',
    ]);
  });

  it('weekly on chosen weekdays, with a count and an end date', () => {
    // 2026-01-01 is a Thursday: Sat 3, Tue 6, Sat 10, Tue 13, ...
    const w = tokyo({ repeat: { kind: 'weekly', weekdays: ['tue', 'sat'] }, startTime: '22:00', endTime: '23:30', count: 3 });
    expect(list(w, jst('2026-01-01T00:00:00'), jst('2026-02-01T00:00:00'))).toEqual([
      '0 2026-01-03T22:00:00+09:00 – 2026-01-03T23:30:00+09:00',
      '1 2026-01-06T22:00:00+09:00 – 2026-01-06T23:30:00+09:00',
      '2 2026-01-10T22:00:00+09:00 – 2026-01-10T23:30:00+09:00',
    ]);
    const until = tokyo({ repeat: { kind: 'weekly', weekdays: ['tue', 'sat'] }, until: '2026-01-13' });
    expect(list(until, jst('2026-01-09T00:00:00'), jst('2026-03-01T00:00:00')).map((s) => s.slice(0, 13))).toEqual(['2 2026-01-10T', '3 2026-01-13T']);
  });

  it('starts mid-series at the right index without walking from the first date', () => {
    const w = tokyo({ repeat: { kind: 'weekly', weekdays: ['mon', 'wed', 'fri'] }, count: 400 });
    const occ = occurrencesBetween(w, jst('2027-06-01T00:00:00'), jst('2027-06-08T00:00:00'));
    // The reference walks day by day from the first date.
    const expected: string[] = [];
    let index = 0;
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 5, 8); t += 86_400_000) {
      const d = new Date(t);
      if (![1, 3, 5].includes(d.getUTCDay())) continue;
      if (t >= Date.UTC(2027, 5, 1)) expected.push(`${index} ${d.toISOString().slice(0, 10)}`);
      index++;
    }
    expect(occ.map((o) => `${o.index} ${o.date}`)).toEqual(expected);
  });

  it('count ends the series even when the range goes on', () => {
    const w = tokyo({ count: 3 });
    expect(occurrencesBetween(w, jst('2026-01-02T00:00:00'), jst('2026-02-01T00:00:00')).map((o) => o.index)).toEqual([1, 2]);
  });

  it('every 7 days from the first date', () => {
    const w = tokyo({ repeat: { kind: 'daily', every: 7 }, firstDate: '2026-01-05' });
    expect(occurrencesBetween(w, jst('2026-01-01T00:00:00'), jst('2026-01-31T00:00:00')).map((o) => o.date)).toEqual(['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']);
  });

  it('keeps wall time across DST switches (New York, 2026-03-08 and 2026-11-01)', () => {
    const ny = (over: Partial<RecurringWindow>): RecurringWindow => ({ ...tokyo(over), timeZone: 'America/New_York' });
    const utc = (o: { start: number; end: number }): string => `${new Date(o.start).toISOString()} ${(o.end - o.start) / 60_000}`;
    const spring = occurrencesBetween(ny({ startTime: '01:00', endTime: '04:00' }), Date.parse('2026-03-07T00:00:00Z'), Date.parse('2026-03-10T00:00:00Z'));
    expect(spring.map(utc)).toEqual([
      '2026-03-07T06:00:00.000Z 180', // EST
      '2026-03-08T06:00:00.000Z 120', // 02:00–03:00 does not exist that night
      '2026-03-09T05:00:00.000Z 180', // EDT
    ]);
    const autumn = occurrencesBetween(ny({ startTime: '23:00', endTime: '03:00' }), Date.parse('2026-10-31T12:00:00Z'), Date.parse('2026-11-01T12:00:00Z'));
    expect(autumn.map(utc)).toEqual(['2026-11-01T03:00:00.000Z 300']); // 01:00–02:00 happens twice
    // The skipped hour itself: 02:00–02:30 moves forward with the gap, keeping its length.
    const skipped = occurrencesBetween(ny({ startTime: '02:00', endTime: '02:30' }), Date.parse('2026-03-08T00:00:00Z'), Date.parse('2026-03-09T00:00:00Z'));
    expect(skipped.map(utc)).toEqual(['2026-03-08T07:00:00.000Z 30']);
  });

  it('00:00–24:00 and 00:00–00:00 are a full day', () => {
    expect(list(tokyo({ startTime: '00:00', endTime: '24:00' }), jst('2026-01-05T12:00:00'), jst('2026-01-05T13:00:00'))).toEqual(['4 2026-01-05T00:00:00+09:00 – 2026-01-06T00:00:00+09:00']);
    expect(list(tokyo({ startTime: '00:00', endTime: '00:00' }), jst('2026-01-05T12:00:00'), jst('2026-01-05T13:00:00'))).toEqual(['4 2026-01-05T00:00:00+09:00 – 2026-01-06T00:00:00+09:00']);
  });

  it('rejects bad definitions', () => {
    expect(() => occurrencesBetween(tokyo({ startTime: '25:00' }), 0, 1)).toThrow(RecurrenceError);
    expect(() => occurrencesBetween(tokyo({ firstDate: '2026-02-30' }), 0, 1)).toThrow(RecurrenceError);
    expect(() => occurrencesBetween(tokyo({ until: '2025-12-31' }), 0, 1)).toThrow(RecurrenceError);
    expect(() => occurrencesBetween(tokyo({ count: 0 }), 0, 1)).toThrow(RecurrenceError);
    expect(() => occurrencesBetween(tokyo({ repeat: { kind: 'weekly', weekdays: [] } }), 0, 1)).toThrow(RecurrenceError);
    expect(() => occurrencesBetween(tokyo({ repeat: { kind: 'daily', every: 0 } }), 0, 1)).toThrow(RecurrenceError);
  });
});
