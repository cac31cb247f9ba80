import { describe, expect, it } from 'vitest';
import { alwaysOpen } from '../../src/core/calendar/always-open.ts';
import { DEFAULT_REPORT_TARGET, regulatoryReminders, reportClock } from '../../src/core/security/index.ts';

const HOUR = 3_600_000;

describe('the report-to-the-client clock', () => {
  const calendar = alwaysOpen('Asia/Tokyo');
  const start = Date.parse('2026-12-31T23:00:00+09:00');
  it('runs 24 hours on the 24/7 clock by default, through holidays and nights', () => {
    const c = reportClock({ calendar, discoveredAt: start, target: DEFAULT_REPORT_TARGET, atRiskThreshold: 0.75, reportedAt: null, now: start });
    expect(c).toEqual({ dueAt: start + 24 * HOUR, atRiskAt: start + 18 * HOUR, state: 'ok' });
  });
  it('is met by a report at the deadline, late by one after it', () => {
    const on = reportClock({ calendar, discoveredAt: start, target: DEFAULT_REPORT_TARGET, atRiskThreshold: 0.75, reportedAt: start + 24 * HOUR, now: start + 30 * HOUR });
    expect(on.state).toBe('met');
    const late = reportClock({ calendar, discoveredAt: start, target: DEFAULT_REPORT_TARGET, atRiskThreshold: 0.75, reportedAt: start + 24 * HOUR + 1, now: start + 30 * HOUR });
    expect(late.state).toBe('metLate');
  });
});

describe('the client\'s regulatory reminders', () => {
  it('counts local dates in the contract zone: 3–5 days, 30 days (60 for unauthorized access)', () => {
    // 23:30 UTC on 31 March is already 1 April in Tokyo.
    const at = Date.parse('2026-03-31T23:30:00Z');
    expect(regulatoryReminders({ learnedAt: at, unauthorizedAccess: false, timeZone: 'Asia/Tokyo' })).toEqual({
      from: '2026-04-01', preliminaryFrom: '2026-04-04', preliminaryBy: '2026-04-06', finalBy: '2026-05-01', finalDays: 30,
    });
    expect(regulatoryReminders({ learnedAt: at, unauthorizedAccess: true, timeZone: 'Asia/Tokyo' })).toMatchObject({ finalBy: '2026-05-31', finalDays: 60 });
    expect(regulatoryReminders({ learnedAt: at, unauthorizedAccess: false, timeZone: 'UTC' }).from).toBe('2026-03-31');
  });
});
