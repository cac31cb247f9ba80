/**
 * A calendar that changes: versions with effective instants composed into one
 * working-time calendar. At an instant t the version in force is the newest one
 * (highest number) whose `effectiveFrom` is at or before t, so a later version
 * effective earlier than a pending one supersedes it, and nothing before a version's
 * effective instant is computed on it. Working time before a cut-over is therefore
 * whatever the older version said: elapsed time already counted never changes.
 *
 * Local dates (for "end of the nth business day") are those of the newest version's
 * zone (`timeZone`); a day that straddles a cut-over has the working intervals of each
 * version on its side of the cut-over.
 */
import { instantOfLocal, localDayNumberOf } from '../time/zone.ts';
import { CalendarRangeError, type WorkingCalendar } from './working-calendar.ts';

export interface CalendarVersionInput {
  version: number;
  /** Epoch ms from which this version applies. */
  effectiveFrom: number;
  calendar: WorkingCalendar;
}

export interface CutOver {
  /** Start of the segment; the first segment reaches back without limit (-Infinity). */
  from: number;
  version: number;
  calendar: WorkingCalendar;
}

/** The segments in force, oldest first: each version truncates every segment that starts at or after its own instant. */
export function cutOvers(versions: readonly CalendarVersionInput[]): CutOver[] {
  if (versions.length === 0) throw new RangeError('a calendar needs at least one version');
  const byNumber = [...versions].sort((x, y) => x.version - y.version);
  const segs: CutOver[] = [];
  for (const v of byNumber) {
    while (segs.length > 0 && segs[segs.length - 1]!.from >= v.effectiveFrom) segs.pop();
    segs.push({ from: v.effectiveFrom, version: v.version, calendar: v.calendar });
  }
  segs[0] = { ...segs[0]!, from: -Infinity };
  return segs;
}

/** The piecewise calendar of the versions (the single version's own calendar when there is only one segment). */
export function versionedCalendar(versions: readonly CalendarVersionInput[]): WorkingCalendar {
  const segs = cutOvers(versions);
  return segs.length === 1 ? segs[0]!.calendar : new VersionedCalendar(segs);
}

/**
 * An instant an old version computes, or Infinity where it finds none before the end of its
 * range (a version that is closed from some day on): the next segment then decides.
 */
function attempt(f: () => number): number {
  try {
    return f();
  } catch (err) {
    if (err instanceof CalendarRangeError) return Infinity;
    throw err;
  }
}

class VersionedCalendar implements WorkingCalendar {
  readonly timeZone: string;
  private readonly from: number[];
  private readonly cals: WorkingCalendar[];

  constructor(segs: readonly CutOver[]) {
    this.from = segs.map((s) => s.from);
    this.cals = segs.map((s) => s.calendar);
    this.timeZone = this.cals[this.cals.length - 1]!.timeZone;
  }

  /** The segment in force at t. */
  private seg(t: number): number {
    let i = this.from.length - 1;
    while (i > 0 && this.from[i]! > t) i--;
    return i;
  }

  private end(i: number): number {
    return i + 1 < this.from.length ? this.from[i + 1]! : Infinity;
  }

  workingMs(a: number, b: number): number {
    if (!(b > a)) return 0;
    let total = 0;
    for (let i = this.seg(a); i < this.from.length && this.from[i]! < b; i++) {
      total += this.cals[i]!.workingMs(Math.max(a, this.from[i]!), Math.min(b, this.end(i)));
    }
    return total;
  }

  addWorking(a: number, ms: number): number {
    if (!(ms > 0)) return a;
    let t = a;
    let left = ms;
    for (let i = this.seg(a); ; i++) {
      const cal = this.cals[i]!;
      const e = this.end(i);
      if (e === Infinity) return cal.addWorking(t, left);
      // Usually the deadline falls before the cut-over: one query decides it.
      const r = attempt(() => cal.addWorking(t, left));
      if (r <= e) return r;
      left -= cal.workingMs(t, e);
      t = e;
    }
  }

  nextOpening(a: number): number {
    let t = a;
    for (let i = this.seg(a); ; i++) {
      const cal = this.cals[i]!;
      const e = this.end(i);
      if (e === Infinity) return cal.nextOpening(t);
      const r = attempt(() => cal.nextOpening(t));
      if (r < e) return r;
      t = e;
    }
  }

  intervals(a: number, b: number): Array<[number, number]> {
    if (!(b > a)) return [];
    const out: Array<[number, number]> = [];
    for (let i = this.seg(a); i < this.from.length && this.from[i]! < b; i++) {
      for (const iv of this.cals[i]!.intervals(Math.max(a, this.from[i]!), Math.min(b, this.end(i)))) {
        // Hours that run on across a cut-over stay one interval, as they were before the new version.
        const last = out[out.length - 1];
        if (last && last[1] === iv[0] && iv[0] === this.from[i]) last[1] = iv[1];
        else out.push(iv);
      }
    }
    return out;
  }

  private dayStart(day: number): number {
    return instantOfLocal(this.timeZone, day, 0);
  }

  private dayOf(t: number): number {
    return localDayNumberOf(this.timeZone, t);
  }

  /** The closing instant of a local day on the composed intervals, or null when it has no working time. */
  private closingOf(day: number): number | null {
    const ivs = this.intervals(this.dayStart(day), this.dayStart(day + 1));
    return ivs.length ? ivs[ivs.length - 1]![1] : null;
  }

  endOfNthBusinessDayAfter(a: number, n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be an integer >= 1');
    let left = n;
    let day = this.dayOf(a); // days strictly after this one count
    for (;;) {
      const s = this.dayStart(day + 1);
      const i = this.seg(s);
      const cal = this.cals[i]!;
      const e = this.end(i);
      if (cal.timeZone !== this.timeZone) {
        // Another zone's day boundaries: walk this segment day by day on the composed intervals.
        const c = this.closingOf(day + 1);
        if (c !== null && --left === 0) return c;
        day += 1;
        continue;
      }
      if (e === Infinity) return cal.endOfNthBusinessDayAfter(this.dayStart(day), left);
      const cutDay = this.dayOf(e);
      const wholeEnd = this.dayStart(cutDay); // days before cutDay lie wholly in this segment
      while (this.dayStart(day + 1) < wholeEnd && cal.workingMs(this.dayStart(day + 1), wholeEnd) > 0) {
        const c = cal.endOfNthBusinessDayAfter(this.dayStart(day), 1);
        if (--left === 0) return c;
        day = this.dayOf(c - 1); // c may be 24:00, the next day's first instant
      }
      if (wholeEnd < e) {
        // The day of the cut-over has hours of both versions.
        const c = this.closingOf(cutDay);
        if (c !== null && --left === 0) return c;
        day = cutDay;
      } else {
        day = cutDay - 1;
      }
    }
  }

  endOfNthBusinessDayBefore(a: number, n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be an integer >= 1');
    let left = n;
    let day = this.dayOf(a); // days strictly before this one count
    for (;;) {
      const i = this.seg(this.dayStart(day) - 1);
      const cal = this.cals[i]!;
      const f = this.from[i]!;
      if (cal.timeZone !== this.timeZone) {
        const c = this.closingOf(day - 1);
        if (c !== null && --left === 0) return c;
        day -= 1;
        continue;
      }
      if (f === -Infinity) return cal.endOfNthBusinessDayBefore(this.dayStart(day), left);
      const cutDay = this.dayOf(f);
      const wholeStart = this.dayStart(cutDay) === f ? f : this.dayStart(cutDay + 1);
      while (this.dayStart(day) > wholeStart && cal.workingMs(wholeStart, this.dayStart(day)) > 0) {
        const c = cal.endOfNthBusinessDayBefore(this.dayStart(day), 1);
        if (--left === 0) return c;
        day = this.dayOf(c - 1);
      }
      if (wholeStart > f) {
        const c = this.closingOf(cutDay);
        if (c !== null && --left === 0) return c;
      }
      day = cutDay;
    }
  }
}
