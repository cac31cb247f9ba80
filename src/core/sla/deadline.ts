import { alwaysOpen } from '../calendar/always-open.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { formatInstant } from '../time/zone.ts';
import { addWorkingMs, workingIntervalsBetween, workingMsBetween } from './clock.ts';
import type { Pause } from './pauses.ts';
import type { SlaTarget } from './target.ts';

export interface DeadlineInput {
  calendar: WorkingCalendar;
  /** Clock start (epoch ms), e.g. recognized_at. */
  start: number;
  target: SlaTarget;
  pauses?: readonly Pause[];
}

const MS_PER_MINUTE = 60_000;
const clocks24x7 = new Map<string, WorkingCalendar>();

/** The clock a target runs on: 24/7 for calendar durations, the business calendar otherwise. */
export function clockFor(calendar: WorkingCalendar, target: SlaTarget): WorkingCalendar {
  if (target.kind !== 'calendar') return calendar;
  let c = clocks24x7.get(calendar.timeZone);
  if (!c) {
    c = alwaysOpen(calendar.timeZone);
    clocks24x7.set(calendar.timeZone, c);
  }
  return c;
}

/**
 * Working time the target grants, measured on its clock from `start` without pauses.
 * endOfNthBusinessDay grants the working time up to that closing, so pauses move it
 * like any other target (docs/design.md).
 */
export function targetWorkingMs(calendar: WorkingCalendar, start: number, target: SlaTarget): number {
  if (target.kind === 'endOfNthBusinessDay') {
    return calendar.workingMs(start, calendar.endOfNthBusinessDayAfter(start, target.n));
  }
  // Minutes may be fractional (0.1 min); the grant is a whole number of ms like every instant.
  return Math.round(target.minutes * MS_PER_MINUTE);
}

/** The deadline instant (epoch ms). */
export function dueAt({ calendar, start, target, pauses }: DeadlineInput): number {
  if (target.kind === 'endOfNthBusinessDay' && (!pauses || pauses.length === 0)) {
    return calendar.endOfNthBusinessDayAfter(start, target.n);
  }
  const clock = clockFor(calendar, target);
  return addWorkingMs(clock, start, targetWorkingMs(calendar, start, target), pauses);
}

export interface CountedInterval {
  /** Local time with offset, e.g. 2026-05-01T09:00:00+09:00. */
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
  seconds: number;
}

export interface Explanation {
  dueAt: number;
  due: string;
  timeZone: string;
  /** Working time counted towards the target, in seconds. */
  totalSeconds: number;
  counted: CountedInterval[];
  /** Pauses that fell inside [start, due), as given. */
  paused: Array<{ from: string; to: string }>;
}

/** "Why is this due then?": the working intervals that were counted, in local time. */
export function explainDeadline(input: DeadlineInput): Explanation {
  const at = dueAt(input);
  const clock = clockFor(input.calendar, input.target);
  const zone = input.calendar.timeZone;
  const counted = workingIntervalsBetween(clock, input.start, at, input.pauses).map(([s, e]) => ({
    from: formatInstant(zone, s),
    to: formatInstant(zone, e),
    fromMs: s,
    toMs: e,
    seconds: (e - s) / 1000,
  }));
  return {
    dueAt: at,
    due: formatInstant(zone, at),
    timeZone: zone,
    totalSeconds: workingMsBetween(clock, input.start, at, input.pauses) / 1000,
    counted,
    paused: (input.pauses ?? [])
      .filter(([s, e]) => e > input.start && s < at)
      .map(([s, e]) => ({ from: formatInstant(zone, s), to: formatInstant(zone, e) })),
  };
}
