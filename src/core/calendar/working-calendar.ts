/** What the SLA arithmetic needs from a calendar; implemented by compiled calendars and the 24/7 clock. */
export interface WorkingCalendar {
  readonly timeZone: string;
  /** Working milliseconds in [a, b); 0 when b <= a. */
  workingMs(a: number, b: number): number;
  /**
   * The first instant t >= a at which exactly `ms` of working time has elapsed since a.
   * With ms = 0 this is a itself. It may equal a closing time.
   */
  addWorking(a: number, ms: number): number;
  /** The first working instant at or after a. */
  nextOpening(a: number): number;
  /** The closing instant of the nth business day after the local date of a (n >= 1). */
  endOfNthBusinessDayAfter(a: number, n: number): number;
  /** The closing instant of the nth business day before the local date of a (n >= 1). */
  endOfNthBusinessDayBefore(a: number, n: number): number;
  /** Working intervals clipped to [a, b), in order. */
  intervals(a: number, b: number): Array<[number, number]>;
}

/** A computation needs a date outside the years the calendar can answer for (the holiday data's, for "jp"). */
export class CalendarRangeError extends Error {
  constructor(message: string, readonly firstYear: number, readonly lastYear: number) {
    super(message);
    this.name = 'CalendarRangeError';
  }
}
