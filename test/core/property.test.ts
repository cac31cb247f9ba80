import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar, type CalendarDocument } from '../../src/core/calendar/index.ts';
import { dueAt, workingMsBetween, type Pause } from '../../src/core/sla/index.ts';
import { formatInstant } from '../../src/core/time/zone.ts';
import { jst, LUNCH, PLAIN, SATURDAY } from './calendars.ts';
import { refDue, refElapsedMinutes, refEndOfNthBusinessDay, refEndOfNthBusinessDayBefore } from './reference.ts';

const MINUTE = 60_000;
const FROM = jst('2025-01-01T00:00:00');
const TO = jst('2028-12-20T00:00:00');
const SEED = 20261125;

const calendars: Array<[string, CalendarDocument]> = [['plain 09–18', PLAIN], ['lunch 12–13', LUNCH], ['Saturday 10–13', SATURDAY]];
const show = (ms: number): string => formatInstant('Asia/Tokyo', ms);

/** A whole-minute instant in 2025–2028. */
const instant = fc.integer({ min: FROM / MINUTE, max: TO / MINUTE }).map((m) => m * MINUTE);
/** Up to three whole-minute pauses near the start. */
const pausesNear = (start: number): fc.Arbitrary<Pause[]> =>
  fc.array(
    fc.tuple(fc.integer({ min: -600, max: 6000 }), fc.integer({ min: 1, max: 3000 })).map(([off, len]) => [start + off * MINUTE, start + (off + len) * MINUTE] as const),
    { maxLength: 3 },
  );

describe.each(calendars)('agrees with a minute-by-minute walk on the %s calendar', (_name, doc) => {
  const cal = compileCalendar(doc);

  it('business-minutes deadlines (with and without pauses), 400 cases', () => {
    fc.assert(
      fc.property(
        instant.chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: 1, max: 3 * 540 }), fc.oneof(fc.constant([] as Pause[]), pausesNear(start)))),
        ([start, minutes, pauses]) => {
          expect(show(dueAt({ calendar: cal, start, target: { kind: 'business', minutes }, pauses }))).toBe(show(refDue(doc, start, minutes, pauses)));
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('end of the Nth business day, 150 cases', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 5 }), (start, n) => {
        expect(show(dueAt({ calendar: cal, start, target: { kind: 'endOfNthBusinessDay', n } }))).toBe(show(refEndOfNthBusinessDay(doc, start, n)));
      }),
      { seed: SEED + 1, numRuns: 150 },
    );
  });

  it('end of the Nth business day before, 100 cases', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 5 }), (start, n) => {
        expect(show(cal.endOfNthBusinessDayBefore(start, n))).toBe(show(refEndOfNthBusinessDayBefore(doc, start, n)));
      }),
      { seed: SEED + 3, numRuns: 100 },
    );
  });

  it('elapsed working time between two instants, 150 cases', () => {
    fc.assert(
      fc.property(
        instant.chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: 0, max: 14 * 1440 }), pausesNear(start))),
        ([start, span, pauses]) => {
          const end = start + span * MINUTE;
          expect(workingMsBetween(cal, start, end, pauses) / MINUTE).toBe(refElapsedMinutes(doc, start, end, pauses));
        },
      ),
      { seed: SEED + 2, numRuns: 150 },
    );
  });
});
