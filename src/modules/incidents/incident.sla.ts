/**
 * Per-target SLA clocks of an incident, computed with the pure SLA core.
 * Rules: clocks count from recognized_at (or started_at for targets anchored
 * there); waiting-for-client pauses stop the resolution and solution-proposed
 * clocks when the policy says so; an open pause is closed at "now" for the
 * arithmetic. Stored due/at-risk instants are those of the last change; while
 * paused they are re-derived live for display.
 */
import { dueAt as coreDueAt, slaStatus, type Pause, type SlaTarget } from '../../core/sla/index.ts';
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import { fromFlag } from '../../db/tx.ts';
import { targetsFor, type SlaPolicyDocument } from '../../contract/sla-policy-document.ts';
import type { Anchor, Priority, TargetKind } from '../../contract/vocabulary.ts';
import type { IncidentTarget } from './incident.model.ts';
import type { IncidentRow, PauseRow, TargetRow } from './incident.repository.ts';

export type Clocked = Pick<IncidentRow, 'recognizedAt' | 'startedAt' | 'proposedAt' | 'resolvedAt'>;

export function anchorInstant(i: Clocked, anchor: Anchor): number | null {
  return anchor === 'started' ? i.startedAt : i.recognizedAt;
}

/** When a target counts as met: start of work, solution proposed (a resolution also proposes one), resolved. */
export function metInstant(i: Clocked, kind: TargetKind): number | null {
  if (kind === 'start') return i.startedAt;
  if (kind === 'propose') return i.proposedAt ?? i.resolvedAt;
  return i.resolvedAt;
}

export function pausesFor(pauses: readonly Pick<PauseRow, 'startedAt' | 'endedAt'>[], now: number): Pause[] {
  return pauses.map((p) => [p.startedAt, p.endedAt ?? Math.max(now, p.startedAt)] as const);
}

const isBusiness = (t: SlaTarget) => t.kind !== 'calendar';

/**
 * The target rows for an incident as of `now` under its policy version. Existing
 * rows keep their ids and fired marks (so "at risk"/"breached" fire once);
 * `rederive` (a priority change) re-arms the marks whose instants moved into the future.
 */
export function computeTargetRows(o: {
  incident: IncidentRow;
  priority: Priority;
  policy: SlaPolicyDocument;
  calendar: WorkingCalendar;
  pauses: readonly PauseRow[];
  existing: readonly TargetRow[];
  now: number;
  newId: () => string;
  rederive?: boolean;
}): TargetRow[] {
  const { incident, policy, calendar, now } = o;
  return targetsFor(policy, o.priority).map(([kind, spec]) => {
    const old = o.existing.find((t) => t.kind === kind);
    const pausable = policy.pauseResolutionWhileWaiting && kind !== 'start';
    const clockStart = anchorInstant(incident, spec.from);
    const metAt = clockStart === null ? null : metInstant(incident, kind);
    let dueAt: number | null = null;
    let atRiskAt: number | null = null;
    let state = 'pending';
    if (clockStart !== null) {
      const s = slaStatus({
        calendar,
        start: clockStart,
        target: spec.clock,
        pauses: pausable ? pausesFor(o.pauses, now) : [],
        now,
        metAt,
        atRiskThreshold: policy.atRiskThreshold,
      });
      dueAt = s.dueAt;
      atRiskAt = s.atRiskAt;
      state = s.state;
    }
    let atRiskFiredAt = old?.atRiskFiredAt ?? null;
    let breachedFiredAt = old?.breachedFiredAt ?? null;
    if (o.rederive) {
      if (atRiskAt !== null && atRiskAt > now) atRiskFiredAt = null;
      if (dueAt !== null && dueAt >= now) breachedFiredAt = null;
    }
    return {
      id: old?.id ?? o.newId(),
      incidentId: incident.id,
      kind,
      anchor: spec.from,
      target: JSON.stringify(spec.clock),
      businessHours: isBusiness(spec.clock) ? 1 : 0,
      pausable: pausable ? 1 : 0,
      clockStart,
      dueAt,
      atRiskAt,
      metAt,
      state,
      atRiskFiredAt,
      breachedFiredAt,
      updatedAt: now,
    };
  });
}

/** Pending timer instants of a target (none once met, paused, excluded or fired). */
export function timerInstants(t: TargetRow, o: { paused: boolean; inScope: boolean }): { atRisk: number | null; breached: number | null } {
  if (t.clockStart === null || t.metAt !== null || !o.inScope || (o.paused && fromFlag(t.pausable))) {
    return { atRisk: null, breached: null };
  }
  return {
    atRisk: t.atRiskFiredAt === null && t.atRiskAt !== null ? t.atRiskAt : null,
    // The core counts "met exactly at dueAt" as on time, so breach is the next millisecond.
    breached: t.breachedFiredAt === null && t.dueAt !== null ? t.dueAt + 1 : null,
  };
}

/** The target as the API shows it at `now`. */
export function presentTarget(
  t: TargetRow,
  o: { pauses: readonly PauseRow[]; inScope: boolean; now: number; calendar?: () => WorkingCalendar },
): IncidentTarget {
  const target = JSON.parse(t.target) as SlaTarget;
  const openPause = o.pauses.find((p) => p.endedAt === null);
  const paused = fromFlag(t.pausable) && openPause !== undefined && t.metAt === null && t.clockStart !== null;
  let dueAt = t.dueAt;
  let state: IncidentTarget['state'];
  if (t.clockStart === null) state = 'pending';
  else if (t.metAt !== null) state = t.dueAt !== null && t.metAt <= t.dueAt ? 'met' : 'metLate';
  else {
    // While paused the used fraction is frozen at the pause start.
    const at = paused ? openPause!.startedAt : o.now;
    if (t.dueAt !== null && at > t.dueAt) state = 'breached';
    else if (t.atRiskAt !== null && at >= t.atRiskAt) state = 'atRisk';
    else state = 'ok';
    if (paused && o.calendar) {
      // The deadline keeps moving while the clock is stopped: derive it as if resumed now.
      dueAt = coreDueAt({ calendar: o.calendar(), start: t.clockStart, target, pauses: pausesFor(o.pauses, o.now) });
    }
  }
  return {
    kind: t.kind as TargetKind,
    anchor: t.anchor as Anchor,
    target,
    clock: fromFlag(t.businessHours) ? 'business' : 'calendar',
    clockStart: t.clockStart,
    dueAt,
    atRiskAt: t.atRiskAt,
    metAt: t.metAt,
    state,
    paused,
    excluded: !o.inScope,
  };
}
