import { describe, expect, it } from 'vitest';
import { figureContext } from '../../src/modules/reports/report.format.ts';

const HOUR = 3_600_000;

describe('report lateness', () => {
  it('shows a business-hours target\'s lateness as working hours, never rolled into calendar days', () => {
    // 36 working hours are four working days on a 9-hour calendar: "1日 12:00" would read as a day and a half.
    expect(figureContext('ja').late(36 * HOUR, true)).toBe('営業時間 36:00');
    expect(figureContext('en').late(36 * HOUR + 5 * 60_000, true)).toBe('36:05 business hours');
    // Due at 18:00 (closing), met at 21:07 the same evening: a breach, by no working minute.
    expect(figureContext('ja').late(0, true)).toBe('営業時間外（営業時間 0:00）');
  });

  it('shows a 24/7 target\'s lateness on the calendar, and a snapshot without the clock as before', () => {
    expect(figureContext('ja').late(36 * HOUR, false)).toBe('1日 12:00');
    expect(figureContext('en').late(90 * 60_000, undefined)).toBe('1:30');
  });
});
