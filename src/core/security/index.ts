/**
 * The security-incident rules that are pure arithmetic: the "report to the client"
 * clock (a target on the SLA core, counted from discovery) and the client's own
 * regulatory reminder dates when personal data is involved.
 */
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { slaStatus, type SlaState, type SlaTarget } from '../sla/index.ts';
import { civilFromDayNumber, formatCivil } from '../time/civil.ts';
import { localDayNumberOf } from '../time/zone.ts';

/** Default: report to the client within 24 hours of discovery, on the 24/7 clock. */
export const DEFAULT_REPORT_TARGET: SlaTarget = { kind: 'calendar', minutes: 24 * 60 };

export interface ReportClock {
  dueAt: number;
  atRiskAt: number;
  state: SlaState;
}

/** The report clock at `now`: due and at-risk instants from discovery; met by the first report. */
export function reportClock(o: {
  calendar: WorkingCalendar;
  discoveredAt: number;
  target: SlaTarget;
  atRiskThreshold: number;
  reportedAt: number | null;
  now: number;
}): ReportClock {
  const s = slaStatus({
    calendar: o.calendar, start: o.discoveredAt, target: o.target, now: o.now, metAt: o.reportedAt, atRiskThreshold: o.atRiskThreshold,
  });
  return { dueAt: s.dueAt, atRiskAt: s.atRiskAt, state: s.state };
}

/**
 * The client's reminders (as 委託元 it files with the regulator, not the vendor), as local
 * dates in `timeZone`, counted from the day personal data was found involved — the earliest
 * day the client may be held to know, so the reminders err on the early side:
 * a preliminary report (速報) "promptly", in practice within about 3–5 days, and a final one
 * (確報) within 30 days, or 60 when the cause is unauthorized access (不正アクセス等, acts
 * with wrongful intent). These are reminders, not legal advice.
 */
export interface RegulatoryReminders {
  /** The local date counted from. */
  from: string;
  preliminaryFrom: string;
  preliminaryBy: string;
  finalBy: string;
  finalDays: 30 | 60;
}

export function regulatoryReminders(o: { learnedAt: number; unauthorizedAccess: boolean; timeZone: string }): RegulatoryReminders {
  const day = localDayNumberOf(o.timeZone, o.learnedAt);
  const date = (n: number) => formatCivil(civilFromDayNumber(day + n));
  const finalDays = o.unauthorizedAccess ? 60 : 30;
  return { from: date(0), preliminaryFrom: date(3), preliminaryBy: date(5), finalBy: date(finalDays), finalDays };
}
