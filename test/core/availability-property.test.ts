/**
 * The interval algebra, availability and check confirmation against brute force:
 * a per-minute boolean timeline for the first two, a look-ahead scan over result
 * objects for the third, written without the library's sweeps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availabilityBetween,
  CHECK_DOWN,
  CHECK_UNKNOWN,
  clip,
  complement,
  intersect,
  normalize,
  outagesFromChecks,
  subtract,
  totalLength,
  union,
  type Interval,
  type MaintenanceRecord,
} from '../../src/core/availability/index.ts';

const SEED = 20260606;
const M = 60_000; // one grid step = one minute
const SPAN = 300; // minutes in the test universe [0, SPAN)

/** Random intervals on the minute grid, unsorted, overlapping, some empty or reversed. */
const rawIntervals = (max = 8): fc.Arbitrary<Interval[]> =>
  fc.array(fc.tuple(fc.integer({ min: -20, max: SPAN + 20 }), fc.integer({ min: -5, max: 80 })).map(([s, len]) => [s * M, (s + len) * M] as const), { maxLength: max });

/** Minute m is set when [m, m+1) lies in some interval (all inputs are on the grid). */
const LOW = -30; // below every generated start
const bits = (list: readonly Interval[]): boolean[] => {
  const out = new Array<boolean>(SPAN + 150).fill(false); // above every generated end
  for (const [s, e] of list) for (let m = s / M; m < e / M; m++) out[m - LOW] = true;
  return out;
};
/** Back from bits to maximal runs. */
const runs = (b: readonly boolean[]): Interval[] => {
  const out: Interval[] = [];
  for (let i = 0; i < b.length; i++) {
    if (!b[i]) continue;
    let j = i;
    while (j < b.length && b[j]) j++;
    out.push([(i + LOW) * M, (j + LOW) * M]);
    i = j;
  }
  return out;
};
const zip = (a: boolean[], b: boolean[], f: (x: boolean, y: boolean) => boolean): boolean[] => a.map((x, i) => f(x, b[i]!));

describe('interval algebra = per-minute sets', () => {
  it('normalize, union, intersect, subtract, clip, complement, totalLength (1,000 cases)', () => {
    fc.assert(
      fc.property(rawIntervals(), rawIntervals(), fc.integer({ min: 0, max: SPAN }), fc.integer({ min: 0, max: SPAN }), (ra, rb, x, y) => {
        const a = normalize(ra);
        const b = normalize(rb);
        const A = bits(ra);
        const B = bits(rb);
        expect(a).toEqual(runs(A));
        expect(union(a, b)).toEqual(runs(zip(A, B, (p, q) => p || q)));
        expect(intersect(a, b)).toEqual(runs(zip(A, B, (p, q) => p && q)));
        expect(subtract(a, b)).toEqual(runs(zip(A, B, (p, q) => p && !q)));
        const [from, to] = [Math.min(x, y) * M, Math.max(x, y) * M];
        const R = bits([[from, to]]);
        expect(clip(a, from, to)).toEqual(runs(zip(A, R, (p, q) => p && q)));
        expect(complement(a, from, to)).toEqual(runs(zip(A, R, (p, q) => !p && q)));
        expect(totalLength(a)).toBe(A.filter(Boolean).length * M);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

const maintenanceArb: fc.Arbitrary<MaintenanceRecord[]> = fc.array(
  fc.record({
    s: fc.integer({ min: -10, max: SPAN }),
    len: fc.integer({ min: 0, max: 60 }),
    early: fc.option(fc.integer({ min: -15, max: 30 }), { nil: undefined }),
    late: fc.option(fc.integer({ min: -30, max: 40 }), { nil: undefined }),
  }).map(({ s, len, early, late }) => {
    const rec: MaintenanceRecord = { announcedStart: s * M, announcedEnd: (s + len) * M };
    if (early !== undefined) rec.actualStart = (s + early) * M;
    if (late !== undefined) rec.actualEnd = (s + len + late) * M;
    return rec;
  }),
  { maxLength: 4 },
);

describe('availability = a per-minute classification', () => {
  it('planned › downtime › unknown › up, every minute in exactly one bucket (1,000 cases)', () => {
    fc.assert(
      fc.property(
        maintenanceArb,
        rawIntervals(),
        fc.option(rawIntervals(), { nil: undefined }),
        fc.option(rawIntervals(4), { nil: undefined }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 150, max: SPAN }),
        (maintenance, downtime, monitored, unknown, f, t) => {
          const from = f * M;
          const to = t * M;
          const r = availabilityBetween({ from, to, maintenance, downtime, monitored, unknown });
          // The reference classifies each minute of [from, to) by the rules as written.
          const inAny = (m: number, list: readonly Interval[]): boolean => list.some(([s, e]) => s <= m * M && m * M < e);
          const buckets = { planned: [] as Interval[], downtime: [] as Interval[], overrun: [] as Interval[], unknown: [] as Interval[], up: [] as Interval[] };
          const announced = maintenance.map((x): Interval => [x.announcedStart, x.announcedEnd]);
          const actual = maintenance
            .filter((x) => x.actualStart !== undefined || x.actualEnd !== undefined)
            .map((x): Interval => [x.actualStart ?? x.announcedStart, x.actualEnd ?? x.announcedEnd]);
          let monitoredMinutes = 0;
          for (let m = f; m < t; m++) {
            const minute: Interval = [m * M, (m + 1) * M];
            const gap = (monitored !== undefined && !inAny(m, monitored)) || (unknown !== undefined && inAny(m, unknown));
            if (!inAny(m, announced) && !gap) monitoredMinutes++;
            if (inAny(m, announced)) buckets.planned.push(minute);
            else if (inAny(m, actual)) {
              buckets.downtime.push(minute);
              buckets.overrun.push(minute);
            } else if (inAny(m, downtime)) buckets.downtime.push(minute);
            else if (gap) buckets.unknown.push(minute);
            else buckets.up.push(minute);
          }
          expect(r.intervals.planned).toEqual(normalize(buckets.planned));
          expect(r.intervals.downtime).toEqual(normalize(buckets.downtime));
          expect(r.intervals.overrun).toEqual(normalize(buckets.overrun));
          expect(r.intervals.unknown).toEqual(normalize(buckets.unknown));
          expect(r.intervals.up).toEqual(normalize(buckets.up));
          const service = (t - f - buckets.planned.length) * M;
          expect(r.serviceMs).toBe(service);
          expect(r.downtimeMs + r.unknownMs + r.upMs).toBe(service);
          const known = service - buckets.unknown.length * M;
          // A figure only where monitoring saw some service time: downtime known from a maintenance record alone is no measure.
          expect(r.availability).toBe(known > 0 && monitoredMinutes > 0 ? (buckets.up.length * M) / known : null);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('check confirmation = a look-ahead scan', () => {
  interface Result { t: number; s: number; interval: number }
  /** Outages by looking ahead for N downs / M ups among the known results. */
  function reference(results: Result[], n: number, mUp: number, from: number, to: number, stale: number): { outages: Interval[]; monitored: Interval[] } {
    const inRange = results.filter((r) => r.t < to);
    const cover = (i: number): number => Math.min(inRange[i + 1]?.t ?? Infinity, inRange[i]!.t + inRange[i]!.interval * stale, to);
    const monitored: Interval[] = [];
    const known: Array<{ t: number; s: number; end: number }> = [];
    inRange.forEach((r, i) => {
      if (r.s === CHECK_UNKNOWN) return;
      monitored.push([r.t, cover(i)]);
      known.push({ t: r.t, s: r.s, end: cover(i) });
    });
    const all = (from_: number, count: number, s: number): boolean => from_ + count <= known.length && known.slice(from_, from_ + count).every((k) => k.s === s);
    const outages: Interval[] = [];
    let i = 0;
    while (i < known.length) {
      if (!all(i, n, CHECK_DOWN)) {
        i++;
        continue;
      }
      let j = i + n;
      while (j < known.length && !all(j, mUp, 0)) j++;
      if (j >= known.length) {
        outages.push([known[i]!.t, known[known.length - 1]!.end]);
        break;
      }
      outages.push([known[i]!.t, known[j]!.t]);
      i = j + mUp;
    }
    return { outages: clip(normalize(outages), from, to), monitored: clip(normalize(monitored), from, to) };
  }

  it('outages, monitored and unknown time (1,000 cases)', () => {
    const resultsArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 0, 1, 1, 2), fc.constantFrom(1, 2)), { maxLength: 60 });
    fc.assert(
      fc.property(resultsArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 40, max: 160 }), (steps, n, mUp, f, t) => {
        let at = 0;
        const results: Result[] = steps.map(([gap, s, interval]) => ({ t: (at += gap) * M, s, interval: interval * M }));
        const series = { at: results.map((r) => r.t), status: results.map((r) => r.s), intervalMs: results.map((r) => r.interval) };
        const got = outagesFromChecks(series, { from: f * M, to: t * M, confirmAfter: n, recoverAfter: mUp });
        const want = reference(results, n, mUp, f * M, t * M, 1.5);
        expect(got.outages).toEqual(want.outages);
        expect(got.monitored).toEqual(want.monitored);
        expect(got.unknown).toEqual(subtract(complement(want.monitored, f * M, t * M), want.outages));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
