/**
 * The web's words for time (web/lib/format.ts): spans read as durations, never as clock
 * times ("57:38" was read as a time of day); dates in the reader's language; zones by name;
 * Japanese lists joined with 、.
 */
import { describe, expect, it } from 'vitest';
import {
  dateRangeParts, formatDate, formatDateRange, formatInstant, formatInstantDate, formatSpan, joinList, zoneName,
} from '../../web/lib/format.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatSpan', () => {
  it('a countdown under an hour ticks with seconds: 57分38秒 / 57 min 38 s', () => {
    expect(formatSpan(57 * M + 38 * S, 'ja', { seconds: true })).toBe('57分38秒');
    expect(formatSpan(57 * M + 38 * S, 'en', { seconds: true })).toBe('57 min 38 s');
    expect(formatSpan(5 * M + 7 * S, 'ja', { seconds: true })).toBe('5分07秒');
    expect(formatSpan(42 * S, 'ja', { seconds: true })).toBe('42秒');
    expect(formatSpan(42 * S, 'en', { seconds: true })).toBe('42 s');
    // Past the deadline the caller says "over"; the span itself has no sign.
    expect(formatSpan(-(3 * M + 9 * S), 'ja', { seconds: true })).toBe('3分09秒');
  });

  it('an hour or more never shows seconds, even when asked to tick: 7時間15分 / 7 h 15 min', () => {
    expect(formatSpan(7 * H + 15 * M + 59 * S, 'ja', { seconds: true })).toBe('7時間15分');
    expect(formatSpan(-(7 * H + 15 * M), 'en', { seconds: true })).toBe('7 h 15 min');
    expect(formatSpan(9 * H, 'ja')).toBe('9時間00分');
    expect(formatSpan(9 * H, 'en')).toBe('9 h 00 min');
  });

  it('without seconds: whole minutes, and under a minute says so instead of 0', () => {
    expect(formatSpan(57 * M + 38 * S, 'ja')).toBe('57分');
    expect(formatSpan(57 * M + 38 * S, 'en')).toBe('57 min');
    expect(formatSpan(0, 'ja')).toBe('0分');
    expect(formatSpan(0, 'en')).toBe('0 min');
    expect(formatSpan(20 * S, 'ja')).toBe('1分未満');
    expect(formatSpan(20 * S, 'en')).toBe('< 1 min');
  });

  it('days above 24 hours (4日13時間), or hours only for working time', () => {
    expect(formatSpan(4 * D + 13 * H + 5 * M, 'ja')).toBe('4日13時間');
    expect(formatSpan(4 * D + 13 * H, 'en')).toBe('4 d 13 h');
    expect(formatSpan(30 * D, 'ja')).toBe('30日');
    expect(formatSpan(45 * H, 'ja', { days: false })).toBe('45時間00分');
    expect(formatSpan(45 * H + 30 * M, 'en', { days: false })).toBe('45 h 30 min');
  });

  it('no span reads like a clock time', () => {
    for (const ms of [0, 38 * S, 57 * M + 38 * S, 9 * H, 7 * H + 15 * M, 4 * D + 13 * H]) {
      for (const lang of ['ja', 'en'] as const) {
        for (const seconds of [true, false]) expect(formatSpan(ms, lang, { seconds })).not.toMatch(/\d:\d/);
      }
    }
  });
});

describe('dates and instants', () => {
  it('a calendar date in the language: 2026年1月1日 / 1 Jan 2026', () => {
    expect(formatDate('2026-01-01', 'ja')).toBe('2026年1月1日');
    expect(formatDate('2026-12-31', 'en')).toBe('31 Dec 2026');
    expect(formatDate(null, 'ja')).toBe('—');
  });

  it('a contract period: 2026年1月1日〜2026年12月31日 / 1 Jan 2026 – 31 Dec 2026, in pieces that do not break inside', () => {
    expect(formatDateRange('2026-01-01', '2026-12-31', 'ja')).toBe('2026年1月1日〜2026年12月31日');
    expect(formatDateRange('2026-01-01', '2026-12-31', 'en')).toBe('1 Jan 2026 – 31 Dec 2026');
    expect(dateRangeParts('2026-01-01', '2026-12-31', 'ja')).toEqual(['2026年1月1日〜', '2026年12月31日']);
    expect(formatDateRange('2026-04-01', null, 'ja')).toBe('2026年4月1日〜');
    expect(formatDateRange('2026-04-01', null, 'en')).toBe('from 1 Apr 2026');
  });

  it('instants in the calendar zone with its short name, and the date an instant falls on there', () => {
    expect(formatInstant('2026-12-07T09:00:00Z', 'Asia/Tokyo', 'ja')).toBe('2026/12/07(月) 18:00 JST');
    expect(formatInstant('2026-12-07T18:00:00+09:00', 'Asia/Tokyo', 'ja', false)).toBe('2026/12/07(月) 18:00');
    // English names the month (05/12 is May to half the English-speaking world).
    expect(formatInstant('2026-12-05T08:50:00Z', 'Asia/Tokyo', 'en')).toBe('Sat, 05 Dec 2026, 17:50 GMT+9');
    // 20:00 UTC on the 6th is already the 7th in Tokyo.
    expect(formatInstantDate('2026-12-06T20:00:00Z', 'Asia/Tokyo', 'ja')).toBe('2026年12月7日');
    expect(formatInstantDate('2026-12-06T20:00:00Z', 'Asia/Tokyo', 'en')).toBe('7 Dec 2026');
  });

  it('a zone by its name, with the IANA id only where asked', () => {
    expect(zoneName('Asia/Tokyo', 'ja')).toBe('日本標準時');
    expect(zoneName('Asia/Tokyo', 'en')).toBe('Japan Standard Time');
    expect(zoneName('Asia/Tokyo', 'ja', true)).toBe('日本標準時 (Asia/Tokyo)');
    expect(zoneName('Not/AZone', 'ja', true)).toBe('Not/AZone');
  });
});

describe('joinList', () => {
  it('joins with 、 in Japanese and ", " in English, leaving out missing items', () => {
    expect(joinList(['受注管理システム', '配送管理システム'], 'ja')).toBe('受注管理システム、配送管理システム');
    expect(joinList(['Orders', undefined, 'Delivery'], 'en')).toBe('Orders, Delivery');
    expect(joinList([], 'ja')).toBe('');
  });
});
