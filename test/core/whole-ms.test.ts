/**
 * Every instant the SLA core returns is a whole millisecond, whatever the start, the
 * pauses, the target kind and the at-risk threshold. PostgreSQL stores instants in
 * bigint columns and refuses a fraction: an at-risk instant of "…229.25" made starting
 * work on an important incident fail with a 500 (issue 11, item 0).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../src/core/calendar/index.ts';
import { atRiskWorkingMs, dueAt, slaStatus, workingMsBetween, type Pause, type SlaTarget } from '../../src/core/sla/index.ts';
import { jst, LUNCH, PLAIN, SATURDAY } from './calendars.ts';

const FROM = jst('2025-01-01T00:00:00');
const TO = jst('2028-12-20T00:00:00');
const cals = [PLAIN, LUNCH, SATURDAY].map(compileCalendar);

/** Any millisecond, not a round minute: wall-clock time as a user meets it. */
const instant = fc.integer({ min: FROM, max: TO });
const target: fc.Arbitrary<SlaTarget> = fc.oneof(
  fc.record({ kind: fc.constant('calendar' as const), minutes: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 5000, noNaN: true })) }),
  fc.record({ kind: fc.constant('business' as const), minutes: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 5000, noNaN: true })) }),
  fc.record({ kind: fc.constant('endOfNthBusinessDay' as const), n: fc.integer({ min: 1, max: 10 }) }),
);
/** Up to four pauses of any length at any millisecond near the start. */
const pausesNear = (start: number): fc.Arbitrary<Pause[]> =>
  fc.array(
    fc.tuple(fc.integer({ min: -86_400_000, max: 10 * 86_400_000 }), fc.integer({ min: 1, max: 3 * 86_400_000 })).map(([off, len]) => [start + off, start + off + len] as const),
    { maxLength: 4 },
  );
/** Non-round thresholds as a policy may set them (0.8, 0.333…, 0.9137), and the edges. */
const threshold = fc.oneof(fc.constantFrom(0.75, 0.8, 0.7, 1 / 3, 0.1, 1), fc.double({ min: 0.001, max: 1, noNaN: true }));

describe('instants from the SLA core are whole milliseconds', () => {
  it('due, at-risk and breach instants for every target kind, random starts, pauses and thresholds (2,000 cases)', () => {
    fc.assert(
      fc.property(
        instant.chain((start) => fc.tuple(fc.constant(start), target, fc.oneof(fc.constant([] as Pause[]), pausesNear(start)), threshold, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 20 * 86_400_000 }))),
        ([start, t, pauses, th, calIndex, later]) => {
          const calendar = cals[calIndex]!;
          const s = slaStatus({ calendar, start, target: t, pauses, now: start + later, atRiskThreshold: th });
          expect(Number.isInteger(s.dueAt), `dueAt ${s.dueAt}`).toBe(true);
          expect(Number.isInteger(s.atRiskAt), `atRiskAt ${s.atRiskAt}`).toBe(true);
          expect(Number.isInteger(s.breachAt)).toBe(true);
          expect(Number.isInteger(s.totalMs)).toBe(true);
          expect(Number.isInteger(dueAt({ calendar, start, target: t, pauses }))).toBe(true);
          // At the at-risk instant the state agrees: at risk (or past due), never still "ok".
          if (s.totalMs > 0 && s.atRiskAt <= s.dueAt) {
            const at = slaStatus({ calendar, start, target: t, pauses, now: s.atRiskAt, atRiskThreshold: th });
            expect(at.state).not.toBe('ok');
          }
        },
      ),
      { seed: 20261204, numRuns: 2000 },
    );
  });

  it('at-risk is the first whole millisecond at or after the threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 86_400_000 }), threshold, (total, th) => {
        const k = atRiskWorkingMs(total, th);
        expect(Number.isInteger(k)).toBe(true);
        expect(k / total >= th).toBe(true);
        if (k > 0) expect((k - 1) / total < th).toBe(true);
      }),
      { seed: 7, numRuns: 5000 },
    );
    // 75 % of a working time of 32,400,917 ms: 24,300,687.75 rounds up, never down.
    expect(atRiskWorkingMs(32_400_917, 0.75)).toBe(24_300_688);
    // Floating error (0.7 × 10 = 7.000000000000001) must not push it a millisecond late.
    expect(atRiskWorkingMs(10, 0.7)).toBe(7);
  });

  it('the elapsed working time at the at-risk instant is that whole number of ms', () => {
    const calendar = cals[0]!;
    const start = jst('2026-04-01T10:17:43') + 229; // an ordinary wall-clock moment
    const s = slaStatus({ calendar, start, target: { kind: 'endOfNthBusinessDay', n: 1 }, now: start, atRiskThreshold: 0.75 });
    expect(workingMsBetween(calendar, start, s.atRiskAt)).toBe(atRiskWorkingMs(s.totalMs, 0.75));
  });
});
