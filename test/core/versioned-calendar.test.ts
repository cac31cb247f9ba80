/**
 * The piecewise calendar of a calendar's versions against a minute-by-minute walk that
 * decides each minute by the version in force then (the newest version whose effective
 * instant is at or before it), written independently of src/core/calendar/versioned.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar, cutOvers, versionedCalendar, type CalendarDocument } from '../../src/core/calendar/index.ts';
import { dueAt, explainDeadline, workingMsBetween, type Pause } from '../../src/core/sla/index.ts';
import { formatInstant } from '../../src/core/time/zone.ts';
import { jst, LUNCH, PLAIN, SATURDAY } from './calendars.ts';
import { isWorkingMinute } from './reference.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const FROM = jst('2025-01-06T00:00:00');
const TO = jst('2028-11-20T00:00:00');
const SEED = 20261204;
const show = (ms: number): string => formatInstant('Asia/Tokyo', ms);
const jstDate = (t: number): string => new Date(t + 9 * 3_600_000).toISOString().slice(0, 10);
const BASES: CalendarDocument[] = [PLAIN, LUNCH, SATURDAY];

interface V { version: number; effectiveFrom: number; doc: CalendarDocument }

/** The doc in force at t (version 1 is effective from 0, as every stored calendar's is). */
const docAt = (vs: readonly V[], t: number): CalendarDocument =>
  vs.filter((v) => v.effectiveFrom <= t).sort((x, y) => y.version - x.version)[0]!.doc;
const working = (vs: readonly V[], t: number): boolean => isWorkingMinute(docAt(vs, t), t);
const pausedAt = (ps: readonly Pause[], t: number): boolean => ps.some(([s, e]) => t >= s && t < e);

function refDue(vs: readonly V[], start: number, minutes: number, ps: readonly Pause[]): number {
  let t = start;
  for (let n = 0; n < minutes; t += MINUTE) if (working(vs, t) && !pausedAt(ps, t)) n++;
  return t;
}
function refElapsed(vs: readonly V[], a: number, b: number, ps: readonly Pause[]): number {
  let n = 0;
  for (let t = a; t < b; t += MINUTE) if (working(vs, t) && !pausedAt(ps, t)) n++;
  return n;
}
function refNextOpening(vs: readonly V[], a: number): number {
  let t = a;
  while (!working(vs, t)) t += MINUTE;
  return t;
}
function closingOfDay(vs: readonly V[], dayStart: number): number | null {
  let last = -1;
  for (let m = 0; m < 1440; m++) if (working(vs, dayStart + m * MINUTE)) last = m;
  return last < 0 ? null : dayStart + (last + 1) * MINUTE;
}
function refEndOfNth(vs: readonly V[], start: number, n: number, dir: 1 | -1): number {
  let dayStart = Date.parse(`${jstDate(start)}T00:00:00+09:00`);
  for (let found = 0; ;) {
    dayStart += dir * DAY;
    const c = closingOfDay(vs, dayStart);
    if (c !== null && ++found === n) return c;
  }
}

/** A version: a base calendar, maybe with a one-off closure near `near`, effective at a minute (or a local midnight) near it. */
const versionNear = (near: number) =>
  fc.record({
    base: fc.integer({ min: 0, max: 2 }),
    closure: fc.option(fc.tuple(fc.integer({ min: -10, max: 20 }), fc.integer({ min: 0, max: 6 }))),
    offset: fc.integer({ min: -8 * 1440, max: 14 * 1440 }),
    midnight: fc.boolean(),
  }).map(({ base, closure, offset, midnight }) => {
    const doc: CalendarDocument = closure
      ? { ...BASES[base]!, closures: [...(BASES[base]!.closures ?? []), { from: jstDate(near + closure[0] * DAY), to: jstDate(near + (closure[0] + closure[1]) * DAY) }] }
      : BASES[base]!;
    let at = near + offset * MINUTE;
    if (midnight) at = Date.parse(`${jstDate(at)}T00:00:00+09:00`);
    return { doc, effectiveFrom: at };
  });

const instant = fc.integer({ min: FROM / MINUTE, max: TO / MINUTE }).map((m) => m * MINUTE);
const scenario = instant.chain((start) =>
  fc.tuple(
    fc.constant(start),
    fc.integer({ min: 0, max: 2 }),
    fc.array(versionNear(start), { minLength: 1, maxLength: 3 }),
  ).map(([s, base, later]) => {
    const vs: V[] = [{ version: 1, effectiveFrom: 0, doc: BASES[base]! }, ...later.map((v, k) => ({ ...v, version: k + 2 }))];
    const cal = versionedCalendar(vs.map((v) => ({ version: v.version, effectiveFrom: v.effectiveFrom, calendar: compileCalendar(v.doc) })));
    return { start: s, vs, cal };
  }),
);
const pausesNear = (start: number): fc.Arbitrary<Pause[]> =>
  fc.array(
    fc.tuple(fc.integer({ min: -600, max: 6000 }), fc.integer({ min: 1, max: 3000 })).map(([off, len]) => [start + off * MINUTE, start + (off + len) * MINUTE] as const),
    { maxLength: 2 },
  );

describe('a versioned calendar agrees with a minute-by-minute walk over its versions', () => {
  it('business-minutes deadlines, with and without pauses (150 cases)', () => {
    fc.assert(
      fc.property(scenario.chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 1, max: 3 * 540 }), fc.oneof(fc.constant([] as Pause[]), pausesNear(x.start)))),
        ([{ start, vs, cal }, minutes, pauses]) => {
          expect(show(dueAt({ calendar: cal, start, target: { kind: 'business', minutes }, pauses }))).toBe(show(refDue(vs, start, minutes, pauses)));
        }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('elapsed working time and the next opening (100 cases)', () => {
    fc.assert(
      fc.property(scenario.chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: 14 * 1440 }), pausesNear(x.start))),
        ([{ start, vs, cal }, span, pauses]) => {
          const end = start + span * MINUTE;
          expect(workingMsBetween(cal, start, end, pauses) / MINUTE).toBe(refElapsed(vs, start, end, pauses));
          expect(cal.intervals(start, end).reduce((n, [a, b]) => n + (b - a), 0) / MINUTE).toBe(refElapsed(vs, start, end, []));
          expect(show(cal.nextOpening(start))).toBe(show(refNextOpening(vs, start)));
        }),
      { seed: SEED + 1, numRuns: 100 },
    );
  });

  it('end of the Nth business day after and before (150 cases each)', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 5 }), ({ start, vs, cal }, n) => {
        expect(show(cal.endOfNthBusinessDayAfter(start, n))).toBe(show(refEndOfNth(vs, start, n, 1)));
        expect(show(cal.endOfNthBusinessDayBefore(start, n))).toBe(show(refEndOfNth(vs, start, n, -1)));
      }),
      { seed: SEED + 2, numRuns: 150 },
    );
  });
});

describe('cut-overs', () => {
  const plain = compileCalendar(PLAIN);
  const lunch = compileCalendar(LUNCH);
  const sat = compileCalendar(SATURDAY);

  it('the newest version wins from its instant; a later version effective earlier supersedes a pending one', () => {
    const t1 = jst('2026-12-07T00:00:00');
    const t2 = jst('2026-12-14T00:00:00');
    const segs = cutOvers([
      { version: 1, effectiveFrom: 0, calendar: plain },
      { version: 2, effectiveFrom: t2, calendar: lunch },
      { version: 3, effectiveFrom: t1, calendar: sat },
    ]);
    expect(segs.map((s) => [s.from, s.version])).toEqual([[-Infinity, 1], [t1, 3]]);
  });

  it('a version that was never open hands over to the next at its cut-over', () => {
    const closed = compileCalendar({ timeZone: 'Asia/Tokyo', weekly: {} });
    const cut = jst('2026-12-09T12:00:00');
    const cal = versionedCalendar([{ version: 1, effectiveFrom: 0, calendar: closed }, { version: 2, effectiveFrom: cut, calendar: plain }]);
    const monday = jst('2026-12-07T10:00:00');
    expect(show(cal.nextOpening(monday))).toBe('2026-12-09T12:00:00+09:00');
    expect(show(cal.addWorking(monday, 60 * MINUTE))).toBe('2026-12-09T13:00:00+09:00');
    expect(show(cal.endOfNthBusinessDayAfter(monday, 1))).toBe('2026-12-09T18:00:00+09:00');
    expect(show(cal.endOfNthBusinessDayBefore(jst('2026-12-11T10:00:00'), 2))).toBe('2026-12-09T18:00:00+09:00');
  });

  it('one version is that version itself', () => {
    expect(versionedCalendar([{ version: 1, effectiveFrom: 0, calendar: plain }])).toBe(plain);
  });

  it('elapsed time and counted intervals before the cut-over do not change with a new version', () => {
    const start = jst('2026-12-03T10:00:00');
    const cut = jst('2026-12-04T12:00:00');
    const closed = { ...PLAIN, closures: [...PLAIN.closures!, { from: '2026-12-07', to: '2026-12-11' }] };
    const after = versionedCalendar([
      { version: 1, effectiveFrom: 0, calendar: plain },
      { version: 2, effectiveFrom: cut, calendar: compileCalendar(closed) },
    ]);
    const target = { kind: 'business', minutes: 3 * 540 } as const;
    const old = explainDeadline({ calendar: plain, start, target });
    const now = explainDeadline({ calendar: after, start, target });
    // Hours that run across the cut-over (Friday 09–18) stay one interval.
    const upTo = (xs: typeof old.counted) => xs.filter((iv) => iv.fromMs < cut);
    expect(upTo(now.counted)).toEqual(upTo(old.counted));
    expect(upTo(now.counted).map((iv) => [iv.from, iv.to])).toEqual([
      ['2026-12-03T10:00:00+09:00', '2026-12-03T18:00:00+09:00'], ['2026-12-04T09:00:00+09:00', '2026-12-04T18:00:00+09:00'],
    ]);
    expect(after.workingMs(start, cut)).toBe(plain.workingMs(start, cut));
    // The closure next week moves the deadline past it: Thu 10:00 + 27 h of work → Tue 15 Dec instead of Tue 8 Dec.
    expect([old.due, now.due]).toEqual(['2026-12-08T10:00:00+09:00', '2026-12-15T10:00:00+09:00']);
  });
});
