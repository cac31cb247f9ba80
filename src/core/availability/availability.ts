/**
 * Availability over a period (a contract month, or a day for the status page's
 * bars), from planned maintenance, what maintenance actually took, confirmed
 * outages and where monitoring had data.
 *
 * Every instant of the period lands in exactly one bucket, decided in this order:
 *   1. planned   — inside an announced maintenance window: not service time;
 *   2. downtime  — a confirmed outage, or maintenance running outside its
 *                  announced window (overrun past the end, or an early start);
 *   3. unknown   — no monitoring data (and not known to be down);
 *   4. up        — the rest.
 * so service = period − planned = downtime + unknown + up, and nothing is
 * counted twice however the inputs overlap. docs/design.md explains the ratios.
 */
import { instantOfLocal } from '../time/zone.ts';
import { dayNumberFromCivil } from '../time/civil.ts';
import { clip, complement, intersect, normalize, subtract, totalLength, union, type Interval } from './intervals.ts';

export interface MaintenanceRecord {
  /** The announced window: what the client was told, what service time excludes. */
  announcedStart: number;
  announcedEnd: number;
  /** What the work really took, when known. Time outside the announced window counts as downtime. */
  actualStart?: number;
  /** Actual end; for maintenance still running pass "now" (or the period's end). */
  actualEnd?: number;
}

export interface AvailabilityInput {
  /** The period [from, to). */
  from: number;
  to: number;
  /** Announced maintenance windows (planned, or emergency ones the contract exempts). */
  maintenance?: readonly MaintenanceRecord[];
  /** Confirmed outages; any order, may overlap. */
  downtime?: readonly Interval[];
  /**
   * Where monitoring had data. When given, service time outside it is unknown.
   * When neither this nor `unknown` is given, the whole period counts as monitored.
   */
  monitored?: readonly Interval[];
  /** Monitoring gaps, the other way to say the same; unioned with the complement of `monitored`. */
  unknown?: readonly Interval[];
}

export interface AvailabilityResult {
  from: number;
  to: number;
  periodMs: number;
  plannedMs: number;
  serviceMs: number;
  downtimeMs: number;
  unknownMs: number;
  upMs: number;
  /** Of downtimeMs, the part caused by maintenance outside its announced window. */
  overrunMs: number;
  /**
   * up / (service − unknown): availability over the time we know about.
   * null when monitoring saw none of the service time: downtime known only from a
   * maintenance record (an overrun of an unmonitored system) is not a measure of
   * availability, and reading it as 0 % would tell the client the system never ran.
   */
  availability: number | null;
  /** up / service: every unknown minute taken as down. null when there is no service time. */
  worstCase: number | null;
  /** (service − unknown) / service: how much of the service time the figure rests on. */
  coverage: number | null;
  intervals: {
    planned: Interval[];
    service: Interval[];
    downtime: Interval[];
    overrun: Interval[];
    unknown: Interval[];
    up: Interval[];
    /** Service time where monitoring had no data, known downtime in it included. */
    unmonitored: Interval[];
  };
}

/** Availability over [from, to); see the module comment for the rules. */
export function availabilityBetween(input: AvailabilityInput): AvailabilityResult {
  const { from, to } = input;
  const period: Interval[] = to > from ? [[from, to]] : [];
  const maintenance = input.maintenance ?? [];

  const announced: Interval[] = [];
  const actual: Interval[] = [];
  for (const m of maintenance) {
    announced.push([m.announcedStart, m.announcedEnd]);
    if (m.actualStart !== undefined || m.actualEnd !== undefined) {
      actual.push([m.actualStart ?? m.announcedStart, m.actualEnd ?? m.announcedEnd]);
    }
  }
  const planned = clip(normalize(announced), from, to);
  const service = subtract(period, planned);
  // Maintenance outside every announced window: one window's overrun that falls
  // inside another announced window is still planned time, not downtime.
  const overrun = intersect(subtract(normalize(actual), planned), service);
  const outages = intersect(normalize(input.downtime ?? []), service);
  const downtime = union(outages, overrun);

  let gaps: Interval[] = [];
  if (input.monitored !== undefined) gaps = complement(normalize(input.monitored), from, to);
  if (input.unknown !== undefined) gaps = union(gaps, clip(normalize(input.unknown), from, to));
  // Known downtime wins over missing data: an overrun is known from the maintenance
  // record, and a confirmed outage stays down until recovery is seen.
  const unmonitored = intersect(gaps, service);
  const unknown = subtract(unmonitored, downtime);
  const up = subtract(subtract(service, downtime), unknown);

  return summarize(from, to, { planned, service, downtime, overrun, unknown, up, unmonitored });
}

/** The figures behind a set of bucket intervals. */
function summarize(from: number, to: number, intervals: AvailabilityResult['intervals']): AvailabilityResult {
  const serviceMs = totalLength(intervals.service);
  const unknownMs = totalLength(intervals.unknown);
  const upMs = totalLength(intervals.up);
  const known = serviceMs - unknownMs;
  const monitoredMs = serviceMs - totalLength(intervals.unmonitored);
  return {
    from,
    to,
    periodMs: to > from ? to - from : 0,
    plannedMs: totalLength(intervals.planned),
    serviceMs,
    downtimeMs: totalLength(intervals.downtime),
    unknownMs,
    upMs,
    overrunMs: totalLength(intervals.overrun),
    // known ≥ monitored (the unknown is the unmonitored time minus known downtime), so known > 0 here too.
    availability: monitoredMs > 0 ? upMs / known : null,
    worstCase: serviceMs > 0 ? upMs / serviceMs : null,
    coverage: serviceMs > 0 ? known / serviceMs : null,
    intervals,
  };
}

export interface MonthInput extends Omit<AvailabilityInput, 'from' | 'to'> {
  year: number;
  /** 1..12 */
  month: number;
  timeZone: string;
  /**
   * For a month in progress: count only up to this instant (usually "now").
   * Without it the whole month is counted, so pass it until the month is over.
   */
  asOf?: number;
}

/** The month [local midnight of the 1st, local midnight of the next 1st) in the zone. */
export function monthRange(year: number, month: number, timeZone: string): Interval {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError('month must be 1..12');
  const first = dayNumberFromCivil(year, month, 1);
  const next = month === 12 ? dayNumberFromCivil(year + 1, 1, 1) : dayNumberFromCivil(year, month + 1, 1);
  return [instantOfLocal(timeZone, first, 0), instantOfLocal(timeZone, next, 0)];
}

/**
 * Availability of one contract month in the contract's zone. "24 h × days" is the
 * time between the local midnights that bound the month: the same thing in Tokyo,
 * one hour more or less in a month with a DST switch, because that is the time
 * that actually passed.
 */
export function monthlyAvailability(input: MonthInput): AvailabilityResult {
  const [from, monthEnd] = monthRange(input.year, input.month, input.timeZone);
  const to = input.asOf === undefined ? monthEnd : Math.max(from, Math.min(monthEnd, input.asOf));
  return availabilityBetween({ ...input, from, to });
}

/**
 * Daily figures over local days [firstDay, firstDay + days) (civil day numbers), for
 * the status page's bars. One computation over the whole span, then each day is a
 * clip of its buckets: every rule is pointwise in time, so this equals computing
 * each day alone (test/core/availability.test.ts checks it), at the cost of one pass.
 */
export function dailyAvailability(
  input: Omit<AvailabilityInput, 'from' | 'to'> & { timeZone: string; firstDay: number; days: number },
): AvailabilityResult[] {
  const bounds: number[] = [];
  for (let d = 0; d <= input.days; d++) bounds.push(instantOfLocal(input.timeZone, input.firstDay + d, 0));
  const whole = availabilityBetween({ ...input, from: bounds[0]!, to: bounds[input.days]! });
  const w = whole.intervals;
  const out: AvailabilityResult[] = [];
  for (let d = 0; d < input.days; d++) {
    const from = bounds[d]!;
    const to = bounds[d + 1]!;
    out.push(
      summarize(from, to, {
        planned: clip(w.planned, from, to),
        service: clip(w.service, from, to),
        downtime: clip(w.downtime, from, to),
        overrun: clip(w.overrun, from, to),
        unknown: clip(w.unknown, from, to),
        up: clip(w.up, from, to),
        unmonitored: clip(w.unmonitored, from, to),
      }),
    );
  }
  return out;
}
