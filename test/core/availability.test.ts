import { describe, expect, it } from 'vitest';
import {
  availabilityBetween,
  CHECK_DOWN as D,
  CHECK_UNKNOWN as U,
  CHECK_UP as P,
  clip,
  complement,
  dailyAvailability,
  intersect,
  monthlyAvailability,
  monthRange,
  normalize,
  outagesFromChecks,
  subtract,
  totalLength,
  union,
  type Interval,
  type MaintenanceRecord,
} from '../../src/core/availability/index.ts';
import { windowIntervals } from '../../src/core/maintenance/index.ts';
import { dayNumberFromCivil } from '../../src/core/time/civil.ts';
import { jst } from './calendars.ts';

const MIN = 60_000;
const iv = (a: string, b: string): Interval => [jst(a), jst(b)];

describe('interval algebra', () => {
  it('normalize sorts, drops empties, merges overlapping and touching', () => {
    expect(normalize([[5, 7], [1, 2], [2, 3], [4, 4], [6, 9], [10, 8]])).toEqual([[1, 3], [5, 9]]);
  });
  it('union, intersect, subtract, clip, complement, totalLength', () => {
    const a: Interval[] = [[0, 10], [20, 30], [40, 50]];
    const b: Interval[] = [[5, 25], [30, 40], [45, 46]];
    expect(union(a, b)).toEqual([[0, 50]]);
    expect(intersect(a, b)).toEqual([[5, 10], [20, 25], [45, 46]]);
    expect(subtract(a, b)).toEqual([[0, 5], [25, 30], [40, 45], [46, 50]]);
    expect(subtract(b, a)).toEqual([[10, 20], [30, 40]]);
    expect(clip(a, 5, 45)).toEqual([[5, 10], [20, 30], [40, 45]]);
    expect(complement(a, -5, 55)).toEqual([[-5, 0], [10, 20], [30, 40], [50, 55]]);
    expect(totalLength(a)).toBe(30);
    expect(subtract([[0, 100]], [[-10, 10], [20, 30], [90, 200]])).toEqual([[10, 20], [30, 90]]);
  });
  it('leaves its inputs alone', () => {
    const a: Interval[] = [[3, 4], [1, 2]];
    normalize(a);
    expect(a).toEqual([[3, 4], [1, 2]]);
  });
});

describe('monthly availability', () => {
  it('uses the local month: June in Tokyo is 30 × 24 h; March in New York loses the DST hour', () => {
    const [a, b] = monthRange(2026, 6, 'Asia/Tokyo');
    expect([a, b]).toEqual([jst('2026-06-01T00:00:00'), jst('2026-07-01T00:00:00')]);
    const [c, d] = monthRange(2026, 3, 'America/New_York');
    expect((d - c) / 3_600_000).toBe(31 * 24 - 1);
    const [e, f] = monthRange(2026, 12, 'Asia/Tokyo');
    expect((f - e) / 86_400_000).toBe(31);
  });

  it('a month without anything is 100 % up', () => {
    const r = monthlyAvailability({ year: 2026, month: 2, timeZone: 'Asia/Tokyo' });
    expect(r.serviceMs).toBe(28 * 1440 * MIN);
    expect([r.availability, r.worstCase, r.coverage, r.downtimeMs, r.unknownMs]).toEqual([1, 1, 1, 0, 0]);
  });

  it('overlapping maintenance, downtime, an overrun and gaps: nothing counted twice', () => {
    const month = monthRange(2026, 6, 'Asia/Tokyo');
    const backup = windowIntervals({ timeZone: 'Asia/Tokyo', startTime: '02:00', endTime: '04:00', repeat: { kind: 'daily' }, firstDate: '2026-01-01' }, month[0], month[1]);
    const maintenance: MaintenanceRecord[] = [
      ...backup.map(([s, e]) => ({ announcedStart: s, announcedEnd: e })),
      // A planned upgrade that overlaps the 6/11 backup window and runs an hour over.
      { announcedStart: jst('2026-06-10T22:00:00'), announcedEnd: jst('2026-06-11T03:00:00'), actualStart: jst('2026-06-10T22:00:00'), actualEnd: jst('2026-06-11T05:00:00') },
    ];
    const downtime: Interval[] = [
      iv('2026-06-15T01:30:00', '2026-06-15T02:30:00'), // half of it inside the backup window
      iv('2026-06-11T04:30:00', '2026-06-11T05:30:00'), // overlaps the overrun
      iv('2026-05-31T23:00:00', '2026-06-01T01:00:00'), // from the previous month
    ];
    const unknown: Interval[] = [
      iv('2026-06-20T10:00:00', '2026-06-20T12:00:00'),
      iv('2026-06-15T01:00:00', '2026-06-15T02:30:00'), // a gap around that outage: down wins where known
    ];
    const r = monthlyAvailability({ year: 2026, month: 6, timeZone: 'Asia/Tokyo', maintenance, downtime, unknown });
    const min = (ms: number): number => ms / MIN;
    // planned: 29 backups × 120 + the upgrade merged with the 6/11 backup (22:00–04:00 = 360)
    expect(min(r.plannedMs)).toBe(29 * 120 + 360);
    expect(min(r.serviceMs)).toBe(30 * 1440 - 3840);
    // overrun 04:00–05:00 only: 03:00–04:00 is the announced backup window
    expect(min(r.overrunMs)).toBe(60);
    expect(r.intervals.overrun).toEqual([iv('2026-06-11T04:00:00', '2026-06-11T05:00:00')]);
    // downtime: 6/1 00:00–01:00 (60) + 6/11 04:00–05:30 (90) + 6/15 01:30–02:00 (30)
    expect(r.intervals.downtime).toEqual([
      iv('2026-06-01T00:00:00', '2026-06-01T01:00:00'),
      iv('2026-06-11T04:00:00', '2026-06-11T05:30:00'),
      iv('2026-06-15T01:30:00', '2026-06-15T02:00:00'),
    ]);
    expect(min(r.downtimeMs)).toBe(180);
    expect(r.intervals.unknown).toEqual([iv('2026-06-15T01:00:00', '2026-06-15T01:30:00'), iv('2026-06-20T10:00:00', '2026-06-20T12:00:00')]);
    expect(min(r.unknownMs)).toBe(150);
    expect(r.upMs).toBe(r.serviceMs - r.downtimeMs - r.unknownMs);
    expect(min(r.upMs)).toBe(39360 - 180 - 150);
    expect(r.availability).toBeCloseTo(39030 / 39210, 12);
    expect(r.worstCase).toBeCloseTo(39030 / 39360, 12);
    expect(r.coverage).toBeCloseTo(39210 / 39360, 12);
    // Every bucket is disjoint and together they are the month.
    const all = [r.intervals.planned, r.intervals.downtime, r.intervals.unknown, r.intervals.up];
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) expect(intersect(all[i]!, all[j]!)).toEqual([]);
    expect(all.reduce((u, l) => union(u, l), [] as Interval[])).toEqual([month]);
  });

  it('an early start counts as downtime too; finishing early gives no service time back', () => {
    const r = availabilityBetween({
      from: jst('2026-06-01T00:00:00'),
      to: jst('2026-06-02T00:00:00'),
      maintenance: [{ announcedStart: jst('2026-06-01T02:00:00'), announcedEnd: jst('2026-06-01T04:00:00'), actualStart: jst('2026-06-01T01:45:00'), actualEnd: jst('2026-06-01T02:30:00') }],
    });
    expect(r.intervals.downtime).toEqual([iv('2026-06-01T01:45:00', '2026-06-01T02:00:00')]);
    expect(r.plannedMs).toBe(120 * MIN);
  });

  it('maintenance still running at the end of the month counts up to the end', () => {
    const r = monthlyAvailability({
      year: 2026, month: 6, timeZone: 'Asia/Tokyo',
      maintenance: [{ announcedStart: jst('2026-06-30T20:00:00'), announcedEnd: jst('2026-06-30T22:00:00'), actualEnd: jst('2026-07-01T03:00:00') }],
    });
    expect(r.downtimeMs).toBe(120 * MIN); // 22:00–24:00
  });

  it('monitored coverage: time outside it is unknown, never up', () => {
    const r = availabilityBetween({ from: 0, to: 100, monitored: [[10, 40], [60, 100]], downtime: [[30, 70]] });
    expect(r.intervals).toMatchObject({ downtime: [[30, 70]], unknown: [[0, 10]], up: [[10, 30], [70, 100]] });
    expect(r.availability).toBe(50 / 90);
    expect(r.worstCase).toBe(0.5);
  });

  it('nothing known gives no ratio rather than a made-up one', () => {
    const r = availabilityBetween({ from: 0, to: 100, monitored: [] });
    expect([r.availability, r.worstCase, r.coverage]).toEqual([null, 0, 0]);
    const all = availabilityBetween({ from: 0, to: 100, maintenance: [{ announcedStart: 0, announcedEnd: 100 }] });
    expect([all.serviceMs, all.availability, all.worstCase]).toEqual([0, null, null]);
    // An unmonitored system whose maintenance overran: 25 minutes of known downtime, but no measure of
    // availability (it had read 0 %, as if the system never ran). The downtime itself is still counted.
    const overrun = availabilityBetween({ from: 0, to: 1000, monitored: [], maintenance: [{ announcedStart: 100, announcedEnd: 200, actualEnd: 225 }] });
    expect([overrun.availability, overrun.downtimeMs, overrun.overrunMs]).toEqual([null, 25, 25]);
    // Monitoring that saw only the system down is a measure: 0 %.
    const down = availabilityBetween({ from: 0, to: 100, monitored: [[0, 50]], downtime: [[0, 50]] });
    expect(down.availability).toBe(0);
  });

  it('a month in progress counts up to asOf', () => {
    const r = monthlyAvailability({ year: 2026, month: 6, timeZone: 'Asia/Tokyo', asOf: jst('2026-06-10T12:00:00'), downtime: [iv('2026-06-10T11:00:00', '2026-06-10T13:00:00')] });
    expect(r.serviceMs).toBe((9 * 1440 + 720) * MIN);
    expect(r.downtimeMs).toBe(60 * MIN);
  });

  it('daily bars equal computing each day alone', () => {
    const firstDay = dayNumberFromCivil(2026, 6, 1);
    const input = {
      maintenance: [{ announcedStart: jst('2026-06-01T23:00:00'), announcedEnd: jst('2026-06-02T01:00:00'), actualEnd: jst('2026-06-02T02:00:00') }],
      downtime: [iv('2026-06-02T12:00:00', '2026-06-04T06:00:00')],
      unknown: [iv('2026-06-04T05:00:00', '2026-06-04T08:00:00')],
    };
    const bars = dailyAvailability({ ...input, timeZone: 'Asia/Tokyo', firstDay, days: 5 });
    expect(bars).toHaveLength(5);
    for (let d = 0; d < 5; d++) {
      const alone = availabilityBetween({ ...input, from: jst(`2026-06-0${d + 1}T00:00:00`), to: jst(`2026-06-0${d + 2}T00:00:00`) });
      expect(bars[d]).toEqual(alone);
    }
  });
});

describe('check results → outages', () => {
  const T0 = jst('2026-06-01T00:00:00');
  /** Results every 30 s from T0, one letter each: u = up, d = down, ? = unknown, _ = no result. */
  const series = (pattern: string): { at: number[]; status: number[]; intervalMs: number } => {
    const at: number[] = [];
    const status: number[] = [];
    [...pattern].forEach((c, i) => {
      if (c === '_') return;
      at.push(T0 + i * 30_000);
      status.push(c === 'u' ? P : c === 'd' ? D : U);
    });
    return { at, status, intervalMs: 30_000 };
  };
  const s = (i: number): number => T0 + i * 30_000;
  const run = (pattern: string, confirmAfter = 3, recoverAfter = 2) =>
    outagesFromChecks(series(pattern), { from: T0, to: T0 + pattern.length * 30_000, confirmAfter, recoverAfter });

  it('confirms after N failures, dated from the first; recovers at the first of M successes', () => {
    const r = run('uuddduduuuu');
    expect(r.outages).toEqual([[s(2), s(7)]]); // u at 6 is followed by d: recovery streak broken
    expect(r.unknown).toEqual([]);
  });

  it('fewer than N failures are a blip, not an outage', () => {
    expect(run('uudduuddu').outages).toEqual([]);
  });

  it('unknown results neither confirm nor break a streak, and are not monitored', () => {
    const r = run('ud??dduu');
    expect(r.outages).toEqual([[s(1), s(6)]]);
    expect(r.unknown).toEqual([]); // inside the outage: down wins
    const q = run('uu??uu');
    expect(q.unknown).toEqual([[s(2), s(4)]]);
  });

  it('missing results leave a gap after 1.5 intervals; a late check leaves none', () => {
    const r = run('uu___u');
    expect(r.unknown).toEqual([[s(1) + 45_000, s(5)]]);
    const late = outagesFromChecks({ at: [T0, T0 + 40_000, T0 + 70_000], status: [P, P, P], intervalMs: 30_000 }, { from: T0, to: T0 + 90_000 });
    expect(late.unknown).toEqual([]);
    expect(late.monitored).toEqual([[T0, T0 + 90_000]]);
  });

  it('an outage still open at the end runs to the end of the last result', () => {
    const r = run('uudddd__');
    expect(r.outages).toEqual([[s(2), s(5) + 45_000]]);
    expect(r.unknown).toEqual([[s(5) + 45_000, s(8)]]);
  });

  it('results before `from` build up state; outages are clipped to the range', () => {
    const r = outagesFromChecks(series('ddddduu'), { from: s(3), to: s(7), confirmAfter: 2, recoverAfter: 1 });
    expect(r.outages).toEqual([[s(3), s(5)]]);
    // Open since an hour before: the down at 0 and the up at 1 (M = 2, so 1–2 recover) end it at s(1).
    const open = outagesFromChecks(series('duu'), { from: T0, to: s(3), openOutageSince: T0 - 3_600_000, recoverAfter: 2 });
    expect(open.outages).toEqual([[T0, s(1)]]);
  });

  it('feeds straight into availability', () => {
    const c = run('uudddduuuu');
    const r = availabilityBetween({ from: T0, to: s(10), downtime: c.outages, monitored: c.monitored });
    expect(r.downtimeMs).toBe(4 * 30_000);
    expect(r.availability).toBe(0.6);
  });
});
