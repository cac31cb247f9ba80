import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../src/core/calendar/index.ts';
import { slaStatus, type SlaTarget } from '../../src/core/sla/index.ts';
import { formatInstant } from '../../src/core/time/zone.ts';
import { jst, PLAIN } from './calendars.ts';

const calendar = compileCalendar(PLAIN);
const oneHour: SlaTarget = { kind: 'business', minutes: 60 };
const start = jst('2026-05-11T17:30:00'); // 30 working minutes today, 30 tomorrow: due Tue 09:30
const status = (now: string, extra: { metAt?: string; atRiskThreshold?: number; pauses?: [string, string][] } = {}) =>
  slaStatus({
    calendar,
    start,
    target: oneHour,
    now: jst(now),
    metAt: extra.metAt ? jst(extra.metAt) : null,
    atRiskThreshold: extra.atRiskThreshold,
    pauses: extra.pauses?.map(([a, b]) => [jst(a), jst(b)] as const),
  });

describe('SLA state at an instant', () => {
  it('is ok early, counting only working time', () => {
    const s = status('2026-05-11T23:00:00');
    expect(s.state).toBe('ok');
    expect(s.elapsedMs).toBe(30 * 60_000);
    expect(s.remainingMs).toBe(30 * 60_000);
    expect(s.fraction).toBe(0.5);
    expect(formatInstant('Asia/Tokyo', s.dueAt)).toBe('2026-05-12T09:30:00+09:00');
  });
  it('is at risk from 75 % of the time by default, with the instant it became so', () => {
    expect(status('2026-05-12T09:14:59').state).toBe('ok');
    const s = status('2026-05-12T09:15:00');
    expect(s.state).toBe('atRisk');
    expect(formatInstant('Asia/Tokyo', s.atRiskAt)).toBe('2026-05-12T09:15:00+09:00');
  });
  it('takes another threshold', () => {
    expect(status('2026-05-12T09:05:00', { atRiskThreshold: 0.5 }).state).toBe('atRisk');
    expect(() => status('2026-05-12T09:05:00', { atRiskThreshold: 1.5 })).toThrow(/atRiskThreshold/);
  });
  it('is not breached at the deadline itself, breached right after', () => {
    expect(status('2026-05-12T09:30:00').state).toBe('atRisk');
    const s = status('2026-05-12T09:30:01');
    expect(s.state).toBe('breached');
    expect(s.remainingMs).toBe(-1000);
    expect(s.breachAt).toBe(s.dueAt + 1);
  });
  it('is met when done by the deadline (even exactly at it), met late after', () => {
    expect(status('2026-05-13T12:00:00', { metAt: '2026-05-12T09:30:00' }).state).toBe('met');
    const late = status('2026-05-13T12:00:00', { metAt: '2026-05-12T10:00:00' });
    expect(late.state).toBe('metLate');
    expect(late.elapsedMs).toBe(90 * 60_000);
  });
  it('a met instant in the future of "now" does not count yet', () => {
    expect(status('2026-05-12T09:31:00', { metAt: '2026-05-12T10:00:00' }).state).toBe('breached');
  });
  it('pauses stop the clock: the deadline and the risk instant move', () => {
    const s = status('2026-05-12T09:40:00', { pauses: [['2026-05-12T09:00:00', '2026-05-12T10:00:00']] });
    expect(s.state).toBe('ok');
    expect(formatInstant('Asia/Tokyo', s.dueAt)).toBe('2026-05-12T10:30:00+09:00');
    expect(formatInstant('Asia/Tokyo', s.atRiskAt)).toBe('2026-05-12T10:15:00+09:00');
    expect(s.elapsedMs).toBe(30 * 60_000);
  });
});
