/**
 * Compiles a calendar document into a working-time index: sorted working
 * intervals (epoch ms) with prefix sums of their lengths, plus one entry per
 * business day with its closing instant. Every query is then one or two binary
 * searches. The index covers a range of local years and grows on demand, so
 * callers never choose the years themselves.
 */
import { civilFromDayNumber, dayNumberFromCivil, parseIsoDate, weekdayOfDayNumber } from '../time/civil.ts';
import { instantOfLocal, localDayNumberOf } from '../time/zone.ts';
import { minuteOfDay, WEEKDAYS, type CalendarDocument, type HoursRange, type WeeklyHours } from './document.ts';
import { isJapaneseHoliday, JP_HOLIDAYS_FIRST_YEAR, JP_HOLIDAYS_LAST_YEAR } from './holidays-jp.ts';
import { CalendarRangeError, type WorkingCalendar } from './working-calendar.ts';

type Minutes = ReadonlyArray<readonly [number, number]>;
type WeeklyMinutes = ReadonlyArray<Minutes | undefined>; // index 0 = Sunday

/** Years outside this window are refused for every calendar: they are typos, not SLAs. */
const MIN_YEAR = 1970;
const HOUR = 3_600_000;
const MAX_YEAR = 2199;

function toMinutes(ranges: readonly HoursRange[]): Minutes {
  return ranges.map(([a, b]) => [minuteOfDay(a), minuteOfDay(b)] as const).sort((x, y) => x[0] - y[0]);
}

function weeklyMinutes(weekly: WeeklyHours): WeeklyMinutes {
  return WEEKDAYS.map((d) => (weekly[d] ? toMinutes(weekly[d]) : undefined));
}

interface DayRule {
  /** Working hours for a day number, in minutes of the local day. */
  hoursOf(day: number): Minutes;
}

/** The precedence of the rules, decided in docs/design.md: date override > holiday/closure > range override > weekly. */
function dayRules(doc: CalendarDocument): DayRule {
  const base = weeklyMinutes(doc.weekly);
  const holidays = doc.holidays ?? [];
  const useJp = holidays.includes('jp');
  const oneOffHolidays = new Set<number>();
  const yearlyHolidays = new Set<string>();
  for (const h of holidays) {
    if (h === 'jp') continue;
    const d = parseIsoDate(h);
    if (d !== null) oneOffHolidays.add(d);
    else yearlyHolidays.add(h);
  }
  const yearlyClosures: Array<[number, number]> = [];
  const oneOffClosures: Array<[number, number]> = [];
  for (const c of doc.closures ?? []) {
    const from = parseIsoDate(c.from);
    const to = parseIsoDate(c.to);
    if (from !== null && to !== null) oneOffClosures.push([from, to]);
    else yearlyClosures.push([monthDayKey(c.from), monthDayKey(c.to)]);
  }
  const dateOverrides = new Map<number, Minutes>();
  const rangeOverrides: Array<{ from: number; to: number; weekly: WeeklyMinutes }> = [];
  for (const o of doc.overrides ?? []) {
    if ('date' in o) dateOverrides.set(parseIsoDate(o.date)!, toMinutes(o.hours));
    else rangeOverrides.push({ from: parseIsoDate(o.from)!, to: parseIsoDate(o.to)!, weekly: weeklyMinutes(o.weekly) });
  }

  return {
    hoursOf(day) {
      const dated = dateOverrides.get(day);
      if (dated) return dated;
      const c = civilFromDayNumber(day);
      if (useJp && isJapaneseHoliday(day)) return [];
      if (oneOffHolidays.has(day)) return [];
      const md = c.month * 100 + c.day;
      if (yearlyHolidays.size && yearlyHolidays.has(`${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`)) return [];
      for (const [from, to] of oneOffClosures) if (day >= from && day <= to) return [];
      for (const [from, to] of yearlyClosures) {
        if (from <= to ? md >= from && md <= to : md >= from || md <= to) return [];
      }
      const wd = weekdayOfDayNumber(day);
      // The last listed range override wins where several cover a day.
      for (let i = rangeOverrides.length - 1; i >= 0; i--) {
        const r = rangeOverrides[i]!;
        if (day >= r.from && day <= r.to && r.weekly[wd]) return r.weekly[wd];
      }
      return base[wd] ?? [];
    },
  };
}

function monthDayKey(mmdd: string): number {
  return Number(mmdd.slice(0, 2)) * 100 + Number(mmdd.slice(3, 5));
}

/** First index i in [lo, hi) with arr[i] > x, or hi. */
function upperBound(arr: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}


export class CompiledCalendar implements WorkingCalendar {
  readonly timeZone: string;
  private readonly rules: DayRule;
  private readonly minYear: number;
  private readonly maxYear: number;
  private readonly limitReason: string;

  private fromYear = 0;
  private toYear = -1;
  /** Instants covered: [coverStart, coverEnd). */
  private coverStart = 0;
  private coverEnd = 0;
  private n = 0;
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  /** cum[i] = working ms before interval i; cum[n] = total. */
  private cum = new Float64Array(1);
  /**
   * Direct-lookup tables that turn both searches into a jump plus a step or two:
   * byHour[h] = first interval ending after coverStart + h hours;
   * byWorkedHour[w] = first interval whose cumulative end reaches w hours of work.
   */
  private byHour = new Int32Array(1);
  private byWorkedHour = new Int32Array(1);
  /** dayStart[k] = local midnight of day firstDay + k; one extra entry closes the range. */
  private dayStart = new Float64Array(0);
  /** bizBefore[k] = business days strictly before day firstDay + k. */
  private bizBefore = new Int32Array(0);
  /** bizClose[j] = closing instant of the j-th business day of the range. */
  private bizClose = new Float64Array(0);

  constructor(doc: CalendarDocument, initialYear?: number) {
    this.timeZone = doc.timeZone;
    this.rules = dayRules(doc);
    const jp = (doc.holidays ?? []).includes('jp');
    this.minYear = jp ? Math.max(MIN_YEAR, JP_HOLIDAYS_FIRST_YEAR) : MIN_YEAR;
    this.maxYear = jp ? Math.min(MAX_YEAR, JP_HOLIDAYS_LAST_YEAR) : MAX_YEAR;
    this.limitReason = jp
      ? `the bundled Japanese public holiday data covers ${JP_HOLIDAYS_FIRST_YEAR}–${JP_HOLIDAYS_LAST_YEAR} only`
      : `calendars cover ${MIN_YEAR}–${MAX_YEAR} only`;
    if (initialYear !== undefined) this.cover(initialYear, initialYear);
  }

  private yearOf(instant: number): number {
    return civilFromDayNumber(localDayNumberOf(this.timeZone, instant)).year;
  }

  /** Makes sure the index covers [y0, y1] (clamped years raise a clear error). */
  private cover(y0: number, y1: number): void {
    if (y0 < this.minYear || y1 > this.maxYear) {
      const year = y0 < this.minYear ? y0 : y1;
      throw new CalendarRangeError(`cannot compute working time in ${year}: ${this.limitReason}`, this.minYear, this.maxYear);
    }
    if (this.toYear >= this.fromYear && y0 >= this.fromYear && y1 <= this.toYear) return;
    // Grow generously so a run of nearby queries rebuilds the index only once.
    const from = this.toYear < this.fromYear ? Math.max(this.minYear, y0 - 1) : Math.max(this.minYear, Math.min(y0 - 1, this.fromYear));
    const to = this.toYear < this.fromYear ? Math.min(this.maxYear, y1 + 2) : Math.min(this.maxYear, Math.max(y1 + 2, this.toYear));
    this.build(from, to);
  }

  private build(fromYear: number, toYear: number): void {
    const firstDay = dayNumberFromCivil(fromYear, 1, 1);
    const endDay = dayNumberFromCivil(toYear + 1, 1, 1);
    const days = endDay - firstDay;
    const starts: number[] = [];
    const ends: number[] = [];
    const dayStart = new Float64Array(days + 1);
    const bizBefore = new Int32Array(days + 1);
    const bizClose: number[] = [];
    for (let k = 0; k < days; k++) {
      const day = firstDay + k;
      dayStart[k] = instantOfLocal(this.timeZone, day, 0);
      bizBefore[k] = bizClose.length;
      let close = Number.NaN;
      for (const [a, b] of this.rules.hoursOf(day)) {
        const s = instantOfLocal(this.timeZone, day, a);
        const e = instantOfLocal(this.timeZone, day, b);
        if (e <= s) continue; // swallowed by a DST jump
        starts.push(s);
        ends.push(e);
        close = e;
      }
      if (!Number.isNaN(close)) bizClose.push(close);
    }
    dayStart[days] = instantOfLocal(this.timeZone, endDay, 0);
    bizBefore[days] = bizClose.length;
    const n = starts.length;
    const cum = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) cum[i + 1] = cum[i]! + (ends[i]! - starts[i]!);
    this.fromYear = fromYear;
    this.toYear = toYear;
    this.coverStart = dayStart[0]!;
    this.coverEnd = dayStart[days]!;
    this.n = n;
    this.starts = Float64Array.from(starts);
    this.ends = Float64Array.from(ends);
    this.cum = cum;
    this.dayStart = dayStart;
    this.bizBefore = bizBefore;
    this.bizClose = Float64Array.from(bizClose);
    this.buildLookups();
  }

  private buildLookups(): void {
    const { n, ends, cum } = this;
    const hours = Math.ceil((this.coverEnd - this.coverStart) / HOUR) + 1;
    const byHour = new Int32Array(hours);
    for (let h = 0, i = 0; h < hours; h++) {
      const t = this.coverStart + h * HOUR;
      while (i < n && ends[i]! <= t) i++;
      byHour[h] = i;
    }
    const worked = Math.floor(cum[n]! / HOUR) + 1;
    const byWorkedHour = new Int32Array(worked);
    for (let w = 0, j = 0; w < worked; w++) {
      while (j < n - 1 && cum[j + 1]! < w * HOUR) j++;
      byWorkedHour[w] = j;
    }
    this.byHour = byHour;
    this.byWorkedHour = byWorkedHour;
  }

  private ensure(instant: number): void {
    if (instant >= this.coverStart && instant < this.coverEnd) return;
    const y = this.yearOf(instant);
    this.cover(y, y);
  }

  /** First interval ending after t (t inside the cover), or n. */
  private intervalAfter(t: number): number {
    const ends = this.ends;
    const n = this.n;
    let i = this.byHour[Math.floor((t - this.coverStart) / HOUR)]!;
    while (i < n && ends[i]! <= t) i++;
    return i;
  }

  /** Working ms from coverStart to t (t inside the cover). */
  private cumAt(t: number): number {
    const i = this.intervalAfter(t);
    if (i === this.n) return this.cum[this.n]!;
    const s = this.starts[i]!;
    return t > s ? this.cum[i]! + (t - s) : this.cum[i]!;
  }

  workingMs(a: number, b: number): number {
    if (!(b > a)) return 0;
    this.ensure(a);
    this.ensure(b);
    return this.cumAt(b) - this.cumAt(a);
  }

  addWorking(a: number, ms: number): number {
    if (!(ms > 0)) return a;
    this.ensure(a);
    for (;;) {
      const target = this.cumAt(a) + ms;
      if (target <= this.cum[this.n]!) {
        // First interval whose cumulative end reaches the target.
        const cum = this.cum;
        let j = this.byWorkedHour[Math.floor(target / HOUR)]!;
        while (cum[j + 1]! < target) j++;
        return this.starts[j]! + (target - this.cum[j]!);
      }
      this.growForward();
    }
  }

  nextOpening(a: number): number {
    this.ensure(a);
    for (;;) {
      const i = this.intervalAfter(a);
      if (i < this.n) return Math.max(a, this.starts[i]!);
      this.growForward();
    }
  }

  endOfNthBusinessDayAfter(a: number, n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be an integer >= 1');
    this.ensure(a);
    for (;;) {
      const k = upperBound(this.dayStart, 0, this.dayStart.length, a) - 1; // local day of a
      const index = this.bizBefore[k + 1]! + n - 1;
      if (index < this.bizClose.length) return this.bizClose[index]!;
      this.growForward();
    }
  }

  endOfNthBusinessDayBefore(a: number, n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be an integer >= 1');
    this.ensure(a);
    for (;;) {
      const k = upperBound(this.dayStart, 0, this.dayStart.length, a) - 1; // local day of a
      const index = this.bizBefore[k]! - n;
      if (index >= 0) return this.bizClose[index]!;
      this.growBackward();
    }
  }

  intervals(a: number, b: number): Array<[number, number]> {
    if (!(b > a)) return [];
    this.ensure(a);
    this.ensure(b);
    const out: Array<[number, number]> = [];
    for (let i = this.intervalAfter(a); i < this.n && this.starts[i]! < b; i++) {
      out.push([Math.max(a, this.starts[i]!), Math.min(b, this.ends[i]!)]);
    }
    return out;
  }

  private growBackward(): void {
    if (this.fromYear <= this.minYear) {
      throw new CalendarRangeError(`no business day found after the start of ${this.minYear}: ${this.limitReason}`, this.minYear, this.maxYear);
    }
    const span = this.toYear - this.fromYear + 1;
    this.build(Math.max(this.minYear, this.fromYear - span), this.toYear);
  }

  private growForward(): void {
    if (this.toYear >= this.maxYear) {
      throw new CalendarRangeError(`no deadline before the end of ${this.maxYear}: ${this.limitReason}`, this.minYear, this.maxYear);
    }
    // Double the covered span so a calendar with little working time still ends quickly.
    const span = this.toYear - this.fromYear + 1;
    this.build(this.fromYear, Math.min(this.maxYear, this.toYear + span));
  }

  /** The local years the index covers now; lets tests see that it grows on demand. */
  get indexedYears(): readonly [number, number] {
    return [this.fromYear, this.toYear];
  }
}

export function compileCalendar(doc: CalendarDocument): CompiledCalendar {
  return new CompiledCalendar(doc);
}
