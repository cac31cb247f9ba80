/**
 * The feasibility target's clock (可否判断), computed with the pure SLA core: it counts
 * from receipt on the contract's calendar, stops while the desk waits for the client's
 * clarification, and is met when the desk answers feasible or not feasible. The stored
 * due and at-risk instants are those of the last change; timers fire from them.
 */
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import { slaStatus, type Pause, type SlaTarget } from '../../core/sla/index.ts';
import type { ChangeRow, PauseRow } from './change-request.repository.ts';

export type FeasibilityState = 'pending' | 'ok' | 'atRisk' | 'breached' | 'met' | 'metLate' | 'paused';

export const pausesFor = (pauses: readonly Pick<PauseRow, 'startedAt' | 'endedAt'>[], now: number): Pause[] =>
  pauses.map((p) => [p.startedAt, p.endedAt ?? Math.max(now, p.startedAt)] as const);

export const targetOf = (row: Pick<ChangeRow, 'feasibilityTarget'>): SlaTarget | null =>
  row.feasibilityTarget ? (JSON.parse(row.feasibilityTarget) as SlaTarget) : null;

/** The due and at-risk instants as of `now` (pauses so far excluded); null without a target. */
export function feasibilityInstants(
  row: Pick<ChangeRow, 'feasibilityTarget' | 'receivedAt' | 'feasibilityAt'>,
  o: { calendar: WorkingCalendar; pauses: readonly PauseRow[]; now: number; atRiskThreshold: number },
): { dueAt: number; atRiskAt: number } | null {
  const target = targetOf(row);
  if (!target) return null;
  const s = slaStatus({
    calendar: o.calendar, start: row.receivedAt, target, pauses: pausesFor(o.pauses, o.now), now: o.now,
    metAt: row.feasibilityAt, atRiskThreshold: o.atRiskThreshold,
  });
  return { dueAt: s.dueAt, atRiskAt: s.atRiskAt };
}

/** Pending timer instants (none once answered, while paused, or once fired). */
export function timerInstants(
  row: Pick<ChangeRow, 'status' | 'feasibilityTarget' | 'feasibilityAt' | 'feasibilityDueAt' | 'feasibilityAtRiskAt' | 'feasibilityAtRiskFiredAt' | 'feasibilityBreachedFiredAt'>,
  paused: boolean,
): { atRisk: number | null; breached: number | null } {
  // A withdrawn request needs no answer any more.
  if (row.feasibilityTarget === null || row.feasibilityAt !== null || paused || row.status === 'withdrawn') return { atRisk: null, breached: null };
  return {
    atRisk: row.feasibilityAtRiskFiredAt === null ? row.feasibilityAtRiskAt : null,
    // Answered exactly at dueAt is on time (the core's rule), so the breach is the next millisecond.
    breached: row.feasibilityBreachedFiredAt === null && row.feasibilityDueAt !== null ? row.feasibilityDueAt + 1 : null,
  };
}

export function feasibilityState(
  row: Pick<ChangeRow, 'feasibilityTarget' | 'feasibilityAt' | 'feasibilityDueAt' | 'feasibilityAtRiskAt'>,
  paused: boolean,
  now: number,
): FeasibilityState {
  if (row.feasibilityTarget === null || row.feasibilityDueAt === null) return 'pending';
  if (row.feasibilityAt !== null) return row.feasibilityAt <= row.feasibilityDueAt ? 'met' : 'metLate';
  if (paused) return 'paused';
  if (now > row.feasibilityDueAt) return 'breached';
  if (row.feasibilityAtRiskAt !== null && now >= row.feasibilityAtRiskAt) return 'atRisk';
  return 'ok';
}
