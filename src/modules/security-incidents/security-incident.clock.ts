/**
 * The "report to the client" clock of a security incident, on the pure core
 * (src/core/security): counted from discovery on the contract policy's target (default
 * 24 hours, 24/7), met by the first report; out of scope it does not run. Stored due and
 * at-risk instants are those of the last change; fired marks make each timer fire once.
 */
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import { alwaysOpen } from '../../core/calendar/always-open.ts';
import { DEFAULT_REPORT_TARGET, reportClock } from '../../core/security/index.ts';
import { DEFAULT_AT_RISK_THRESHOLD, type SlaTarget } from '../../core/sla/index.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag } from '../../db/tx.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import type { SecurityIncidentRow } from './security-incident.repository.ts';

/** What `security_incidents.report_target` holds. */
export interface ReportTargetSpec {
  target: SlaTarget;
  atRiskThreshold: number;
}

export function reportSpecOf(row: Pick<SecurityIncidentRow, 'reportTarget'>): ReportTargetSpec {
  const raw = JSON.parse(row.reportTarget) as Partial<ReportTargetSpec>;
  return { target: raw.target ?? DEFAULT_REPORT_TARGET, atRiskThreshold: raw.atRiskThreshold ?? DEFAULT_AT_RISK_THRESHOLD };
}

export async function reportCalendar(ex: Executor, row: Pick<SecurityIncidentRow, 'reportCalendarId' | 'timeZone'>): Promise<WorkingCalendar> {
  return row.reportCalendarId ? loadWorkingCalendar(ex, row.reportCalendarId) : alwaysOpen(row.timeZone);
}

/**
 * The clock's columns after a change of discovery or of the first report; fired marks are
 * re-armed when their instant moved into the future (a corrected discovery time).
 */
export async function rederiveClock(ex: Executor, row: SecurityIncidentRow, now: number): Promise<Pick<SecurityIncidentRow,
  'reportDueAt' | 'reportAtRiskAt' | 'reportAtRiskFiredAt' | 'reportBreachedFiredAt'>> {
  if (row.discoveredAt === null) return { reportDueAt: null, reportAtRiskAt: null, reportAtRiskFiredAt: null, reportBreachedFiredAt: null };
  const spec = reportSpecOf(row);
  const c = reportClock({
    calendar: await reportCalendar(ex, row), discoveredAt: row.discoveredAt, target: spec.target,
    atRiskThreshold: spec.atRiskThreshold, reportedAt: row.reportedAt, now,
  });
  return {
    reportDueAt: c.dueAt,
    reportAtRiskAt: c.atRiskAt,
    reportAtRiskFiredAt: row.reportAtRiskFiredAt !== null && c.atRiskAt > now ? null : row.reportAtRiskFiredAt,
    reportBreachedFiredAt: row.reportBreachedFiredAt !== null && c.dueAt >= now ? null : row.reportBreachedFiredAt,
  };
}

/** Pending timer instants (none once reported, out of scope, closed or fired). */
export function timerInstants(row: SecurityIncidentRow): { atRisk: number | null; breached: number | null } {
  if (row.reportDueAt === null || row.reportedAt !== null || !fromFlag(row.inScope) || row.status === 'closed') {
    return { atRisk: null, breached: null };
  }
  return {
    atRisk: row.reportAtRiskFiredAt === null && row.reportAtRiskAt !== null ? row.reportAtRiskAt : null,
    // The core counts "met exactly at dueAt" as on time, so the breach is the next millisecond.
    breached: row.reportBreachedFiredAt === null ? row.reportDueAt + 1 : null,
  };
}

export type ClockState = 'pending' | 'ok' | 'atRisk' | 'breached' | 'met' | 'metLate';

export function clockState(row: SecurityIncidentRow, now: number): ClockState {
  if (row.reportDueAt === null) return 'pending';
  if (row.reportedAt !== null) return row.reportedAt <= row.reportDueAt ? 'met' : 'metLate';
  if (now > row.reportDueAt) return 'breached';
  if (row.reportAtRiskAt !== null && now >= row.reportAtRiskAt) return 'atRisk';
  return 'ok';
}
