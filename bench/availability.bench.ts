/**
 * Availability over one year of 30-second check data for one system (~1.05 M
 * results in typed arrays): confirmed outages, gaps, and twelve monthly figures
 * with a nightly backup window and planned maintenance that overruns. Goal < 100 ms.
 * Next to it, in the same run, a naive baseline: one object per result, each
 * result's 30 s credited to up/down/unknown after a linear search of the month's
 * maintenance windows (how a per-row report loop is usually first written).
 */
import {
  CHECK_DOWN,
  CHECK_UNKNOWN,
  CHECK_UP,
  monthlyAvailability,
  monthRange,
  outagesFromChecks,
  type AvailabilityResult,
  type MaintenanceRecord,
} from '../src/core/availability/index.ts';
import { windowIntervals } from '../src/core/maintenance/index.ts';

const ZONE = 'Asia/Tokyo';
const YEAR = 2026;
const STEP = 30_000;
const CONFIRM = 3;
const RECOVER = 2;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Data {
  at: Float64Array;
  status: Uint8Array;
  maintenance: MaintenanceRecord[];
  from: number;
  to: number;
}

function makeData(): Data {
  const [from] = monthRange(YEAR, 1, ZONE);
  const [, to] = monthRange(YEAR, 12, ZONE);
  const random = rng(20260601);
  const slots = Math.floor((to - from) / STEP);
  const at = new Float64Array(slots);
  const status = new Uint8Array(slots);
  let n = 0;
  let outageLeft = 0;
  let unknownLeft = 0;
  for (let i = 0; i < slots; i++) {
    if (random() < 0.0005) continue; // a lost check now and then
    if (outageLeft === 0 && random() < 0.00003) outageLeft = 10 + Math.floor(random() * 120); // ~30 outages of 5–65 min
    if (unknownLeft === 0 && random() < 0.00002) unknownLeft = 20 + Math.floor(random() * 200); // checker offline
    at[n] = from + i * STEP + Math.floor(random() * 2000); // scheduling jitter
    if (unknownLeft > 0) {
      unknownLeft--;
      status[n] = CHECK_UNKNOWN;
    } else if (outageLeft > 0) {
      outageLeft--;
      status[n] = CHECK_DOWN;
    } else {
      status[n] = random() < 0.0003 ? CHECK_DOWN : CHECK_UP; // blips below the threshold
    }
    n++;
  }
  const backup = windowIntervals({ timeZone: ZONE, startTime: '02:00', endTime: '04:00', repeat: { kind: 'daily' }, firstDate: `${YEAR}-01-01` }, from, to);
  const maintenance: MaintenanceRecord[] = backup.map(([s, e]) => ({ announcedStart: s, announcedEnd: e }));
  for (let m = 1; m <= 12; m++) {
    // One planned upgrade a month, Saturday-night style, that runs 25 minutes over.
    const [ms] = monthRange(YEAR, m, ZONE);
    const s = ms + 13 * 86_400_000 + 22 * 3_600_000;
    maintenance.push({ announcedStart: s, announcedEnd: s + 3 * 3_600_000, actualEnd: s + 3 * 3_600_000 + 25 * 60_000 });
  }
  return { at: at.subarray(0, n), status: status.subarray(0, n), maintenance, from, to };
}

/** The fast path: one pass over the typed arrays, then interval algebra per month. */
function fast(d: Data): AvailabilityResult[] {
  const checks = outagesFromChecks({ at: d.at, status: d.status, intervalMs: STEP }, { from: d.from, to: d.to, confirmAfter: CONFIRM, recoverAfter: RECOVER });
  const out: AvailabilityResult[] = [];
  for (let m = 1; m <= 12; m++) {
    out.push(monthlyAvailability({ year: YEAR, month: m, timeZone: ZONE, maintenance: d.maintenance, downtime: checks.outages, monitored: checks.monitored }));
  }
  return out;
}

interface Row {
  at: number;
  status: 'up' | 'down' | 'unknown';
}

/** The naive baseline: per-result objects, a linear search of windows per result. */
function naive(rows: Row[], maintenance: MaintenanceRecord[]): Array<{ up: number; down: number; unknown: number; ratio: number }> {
  const out: Array<{ up: number; down: number; unknown: number; ratio: number }> = [];
  for (let m = 1; m <= 12; m++) {
    const [ms, me] = monthRange(YEAR, m, ZONE);
    const monthRows = rows.filter((r) => r.at >= ms && r.at < me);
    const windows = maintenance.filter((w) => w.announcedEnd > ms && w.announcedStart < me);
    let up = 0;
    let down = 0;
    let unknown = 0;
    let fails = 0;
    let oks = 0;
    let isDown = false;
    const pending: Row[] = [];
    for (const r of monthRows) {
      const inWindow = windows.some((w) => r.at >= w.announcedStart && r.at < w.announcedEnd);
      const overrun = !inWindow && windows.some((w) => w.actualEnd !== undefined && r.at >= w.announcedEnd && r.at < w.actualEnd);
      if (r.status === 'unknown') {
        if (!inWindow) unknown += STEP;
        continue;
      }
      if (r.status === 'down') {
        oks = 0;
        fails++;
        if (!isDown) pending.push(r);
        if (fails >= CONFIRM) isDown = true;
      } else {
        fails = 0;
        if (isDown && ++oks >= RECOVER) isDown = false;
      }
      if (inWindow) continue;
      if (isDown || overrun) {
        // Confirmation dates the outage from its first failure: move the pending time to down.
        down += STEP * (pending.length > 0 ? pending.length : 1);
        up -= STEP * Math.max(0, pending.length - 1);
        pending.length = 0;
      } else up += STEP;
      if (!isDown && r.status === 'up') pending.length = 0;
    }
    out.push({ up, down, unknown, ratio: up / (up + down) });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  const d = makeData();
  console.log(`check results: ${d.at.length.toLocaleString('en-US')} (one year at 30 s, ${(d.at.byteLength + d.status.byteLength) / 1e6} MB in typed arrays); maintenance records: ${d.maintenance.length}`);

  const fastTimes: number[] = [];
  const checkTimes: number[] = [];
  let result: AvailabilityResult[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    outagesFromChecks({ at: d.at, status: d.status, intervalMs: STEP }, { from: d.from, to: d.to, confirmAfter: CONFIRM, recoverAfter: RECOVER });
    const t1 = performance.now();
    result = fast(d);
    const t2 = performance.now();
    checkTimes.push(t1 - t0);
    fastTimes.push(t2 - t1);
  }

  const rows: Row[] = Array.from({ length: d.at.length }, (_, i) => ({ at: d.at[i]!, status: d.status[i] === CHECK_UP ? 'up' : d.status[i] === CHECK_DOWN ? 'down' : 'unknown' }));
  const naiveTimes: number[] = [];
  let naiveResult: ReturnType<typeof naive> = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    naiveResult = naive(rows, d.maintenance);
    naiveTimes.push(performance.now() - t0);
  }

  const fastMs = median(fastTimes);
  const naiveMs = median(naiveTimes);
  console.log(`${'checks → outages/monitored (one pass)'.padEnd(52)} ${median(checkTimes).toFixed(1).padStart(9)} ms (median of 15, min ${Math.min(...checkTimes).toFixed(1)})`);
  console.log(`${'year: checks + 12 monthly availabilities (fast)'.padEnd(52)} ${fastMs.toFixed(1).padStart(9)} ms (median of 15, min ${Math.min(...fastTimes).toFixed(1)}; goal < 100 ms)`);
  console.log(`${'year: naive per-result object walk (baseline)'.padEnd(52)} ${naiveMs.toFixed(1).padStart(9)} ms (median of 3; row objects built beforehand)`);
  console.log(`speed-up ×${(naiveMs / fastMs).toFixed(0)}`);
  const pct = (x: number | null): string => (x === null ? '   —   ' : `${(x * 100).toFixed(4)}%`);
  console.log('month  downtime  unknown   availability  worst case   naive (sampled)');
  result.forEach((r, i) => {
    console.log(
      `${String(i + 1).padStart(5)}  ${(r.downtimeMs / 60_000).toFixed(1).padStart(7)}m  ${(r.unknownMs / 60_000).toFixed(1).padStart(6)}m   ${pct(r.availability).padStart(10)}  ${pct(r.worstCase).padStart(10)}   ${pct(naiveResult[i]!.ratio).padStart(10)}`,
    );
  });
}
