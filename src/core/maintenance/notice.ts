/**
 * The notice rule for planned maintenance: announce it at least N business days
 * (per contract, default 2) before it starts, on the contract's calendar; urgent
 * bug fixes (emergency maintenance) are exempt but must say why.
 *
 * "N営業日前まで" is read as: by the closing time of the Nth business day before
 * the local date the maintenance starts on — `calendar.endOfNthBusinessDayBefore`.
 * Start Mon 10:00, N = 2 → announce by Thu 18:00 (Fri is 1 day before, Thu 2).
 * The time of day of the start does not matter (Mon 02:00 and Mon 22:00 get the
 * same deadline), and a start on a weekend or holiday counts back from its own
 * date, skipping closed days. docs/design.md has the reasoning and examples.
 */
import type { WorkingCalendar } from '../calendar/working-calendar.ts';

export const DEFAULT_NOTICE_BUSINESS_DAYS = 2;

export class NoticeError extends Error {
  constructor(
    readonly code: 'maintenance.emergency_reason_required' | 'maintenance.invalid_notice_days',
    message: string,
  ) {
    super(message);
    this.name = 'NoticeError';
  }
}

/**
 * The latest instant at which an announcement of maintenance starting at `start`
 * is still in time. With n = 0 (a contract that asks no notice) it is the start
 * itself: maintenance may not be announced after it has begun.
 */
export function latestAnnouncement(calendar: WorkingCalendar, start: number, businessDays: number = DEFAULT_NOTICE_BUSINESS_DAYS): number {
  if (!Number.isInteger(businessDays) || businessDays < 0) {
    throw new NoticeError('maintenance.invalid_notice_days', 'notice business days must be an integer >= 0');
  }
  if (businessDays === 0) return start;
  return calendar.endOfNthBusinessDayBefore(start, businessDays);
}

export interface NoticeInput {
  calendar: WorkingCalendar;
  /** When the announcement is (or would be) sent. */
  announcedAt: number;
  /** Planned start of the maintenance. */
  start: number;
  /** Notice period in business days; the contract's value, default 2. */
  businessDays?: number;
  /** Emergency maintenance (an urgent bug fix) is exempt from the notice period. */
  emergency?: boolean;
  /** Required with emergency: recorded with the announcement. */
  emergencyReason?: string;
}

export type NoticeDecision =
  /** In time: announced at or before latestAllowed; marginMs = how much earlier. */
  | { kind: 'ok'; latestAllowed: number; marginMs: number }
  /** Too late for planned maintenance; refuse unless it is made an emergency. */
  | { kind: 'late'; latestAllowed: number; lateByMs: number }
  /**
   * Emergency maintenance: accepted whatever the notice; `inTime` says whether it
   * would have passed as planned maintenance anyway (reports show how often the
   * exemption was actually needed).
   */
  | { kind: 'emergency'; latestAllowed: number; reason: string; inTime: boolean };

/**
 * Decides an announcement. Announcing exactly at latestAllowed is in time (the
 * deadline is a closing time, and "by 18:00" includes 18:00:00.000). Emergency
 * without a non-blank reason throws `NoticeError` ('maintenance.emergency_reason_required'):
 * the exemption is only as good as the reason recorded with it.
 */
export function checkNotice(input: NoticeInput): NoticeDecision {
  const latestAllowed = latestAnnouncement(input.calendar, input.start, input.businessDays ?? DEFAULT_NOTICE_BUSINESS_DAYS);
  const inTime = input.announcedAt <= latestAllowed;
  if (input.emergency) {
    const reason = input.emergencyReason?.trim() ?? '';
    if (reason === '') throw new NoticeError('maintenance.emergency_reason_required', 'emergency maintenance needs a reason');
    return { kind: 'emergency', latestAllowed, reason, inTime };
  }
  return inTime
    ? { kind: 'ok', latestAllowed, marginMs: latestAllowed - input.announcedAt }
    : { kind: 'late', latestAllowed, lateByMs: input.announcedAt - latestAllowed };
}
