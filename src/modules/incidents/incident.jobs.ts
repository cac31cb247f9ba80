/**
 * SLA timers. Each pending "at risk" and "breached" instant of each target is a
 * job keyed `sla:<incidentId>:<target>:<event>`; whenever an incident's
 * deadlines change the keys are rewritten in the same transaction. The handler
 * fires each event at most once per target (a conditional update decides), and
 * records it in the timeline and the audit log, and enqueues the e-mail, all in
 * one transaction.
 */
import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { nextOpening } from '../../core/sla/index.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { fromFlag } from '../../db/tx.ts';
import { cancelJobs, enqueue, enqueueMany, type EnqueueOptions } from '../../jobs/queue.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import type { NotificationService } from '../notifications/notification.service.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import * as repo from './incident.repository.ts';
import { timerInstants } from './incident.sla.ts';

export const SLA_TIMER_JOB = 'sla.timer';
export type SlaEvent = 'atRisk' | 'breached';

export interface SlaTimerPayload {
  incidentId: string;
  target: string;
  event: SlaEvent;
}

const timerKey = (incidentId: string, target: string, event: SlaEvent) => `sla:${incidentId}:${target}:${event}`;

/** The timer jobs an incident's targets call for, and the earliest of their instants. */
export function planTimers(
  incident: Pick<repo.IncidentRow, 'id' | 'inScope'>,
  targets: readonly repo.TargetRow[],
  paused: boolean,
  now: number,
): { jobs: EnqueueOptions[]; next: number | null } {
  const jobs: EnqueueOptions[] = [];
  let next: number | null = null;
  for (const t of targets) {
    const due = timerInstants(t, { paused, inScope: fromFlag(incident.inScope) });
    for (const event of ['atRisk', 'breached'] as const) {
      const at = due[event];
      if (at === null) continue;
      const payload: SlaTimerPayload = { incidentId: incident.id, target: t.kind, event };
      jobs.push({ kind: SLA_TIMER_JOB, payload, runAt: at, dedupeKey: timerKey(incident.id, t.kind, event), now });
      next = next === null ? at : Math.min(next, at);
    }
  }
  return { jobs, next };
}

/**
 * Rewrites the incident's timer jobs from its target rows; returns the earliest
 * pending instant (stored as incidents.next_timer_at).
 */
export async function syncTimers(
  ex: Executor,
  incident: Pick<repo.IncidentRow, 'id' | 'inScope'>,
  targets: readonly repo.TargetRow[],
  paused: boolean,
  now: number,
): Promise<number | null> {
  const { jobs, next } = planTimers(incident, targets, paused, now);
  await cancelJobs(ex, `sla:${incident.id}:`);
  await enqueueMany(ex, jobs);
  return next;
}

const LABEL: Record<SlaEvent, string> = { atRisk: 'SLA at risk', breached: 'SLA breached' };

export function createSlaTimerHandler(deps: { db: Kysely<DB>; clock: () => number; notifications: NotificationService }): JobHandler {
  // Policy versions never change once written.
  const policies = new Map<string, boolean>();
  const notifyWhileClosed = async (ex: Executor, id: string, version: number): Promise<boolean> => {
    const key = `${id}:${version}`;
    let v = policies.get(key);
    if (v === undefined) {
      v = (await loadPolicyVersion(ex, id, version)).document.notifyWhileClosed;
      policies.set(key, v);
    }
    return v;
  };
  return async (raw) => {
    const p = raw as SlaTimerPayload;
    // A command: a timer that fires changes the incident (target fired, timeline) and audits it;
    // one that finds nothing to fire says so.
    await unitOfWork(deps.db, deps.clock).command(SYSTEM_ACTOR, async (w) => {
      const { tx, now } = w;
      const incident = await repo.findIncident(tx, p.incidentId, null, true);
      if (!incident) return w.unchanged();
      const target = await repo.findTarget(tx, p.incidentId, p.target);
      if (!target) return w.unchanged(); // the priority changed and this target no longer exists
      const pauses = await repo.pausesOf(tx, [incident.id]);
      const paused = pauses.some((x) => x.endedAt === null);
      const due = timerInstants(target, { paused, inScope: fromFlag(incident.inScope) })[p.event];
      if (due === null) return w.unchanged(); // met, paused, out of scope or already fired
      if (due > now) {
        // The deadline moved later since this job was scheduled: wait for the new instant.
        await enqueue(tx, { kind: SLA_TIMER_JOB, payload: p, runAt: due, dedupeKey: timerKey(p.incidentId, p.target, p.event), now });
        return w.unchanged();
      }
      if (!(await repo.markFired(tx, target.id, p.event, now))) return w.unchanged();

      const dueAt = target.dueAt ?? now;
      await repo.insertEvent(tx, {
        id: uuidv7(),
        incidentId: incident.id,
        at: now,
        kind: 'sla',
        visibility: 'internal',
        authorId: SYSTEM_ACTOR.userId,
        authorName: null,
        body: `${LABEL[p.event]}: ${p.target}`,
        data: JSON.stringify({ target: p.target, event: p.event, dueAt, atRiskAt: target.atRiskAt }),
      });
      w.audit({
        entity: 'incident', entityId: incident.id, action: `sla.${p.event}`,
        before: { target: p.target, state: target.state }, after: { target: p.target, state: p.event, dueAt },
      });

      // Business-hours targets are not announced while the desk is closed unless the policy asks.
      const calendar = await loadWorkingCalendar(tx, incident.calendarId);
      const quietWhenClosed = fromFlag(target.businessHours) && !(await notifyWhileClosed(tx, incident.slaPolicyId, incident.slaPolicyVersion));
      const sendAt = quietWhenClosed ? nextOpening(calendar, now) : now;
      // A warning that only runs after the deadline (the desk was down) is recorded but not
      // mailed: the breach mail for the same target follows at once and says more.
      const stale = p.event === 'atRisk' && now > dueAt;
      if (!stale) {
        await deps.notifications.slaEvent(tx, {
          incident, target: p.target, event: p.event, dueAt, now, sendAt, timeZone: calendar.timeZone,
        });
      }

      const targets = await repo.targetsOf(tx, [incident.id]);
      let next: number | null = null;
      for (const t of targets) {
        const d = timerInstants(t, { paused, inScope: fromFlag(incident.inScope) });
        for (const at of [d.atRisk, d.breached]) if (at !== null) next = next === null ? at : Math.min(next, at);
      }
      await repo.updateIncident(tx, incident.id, { nextTimerAt: next });
    }, { name: `sla.${p.event}` });
  };
}
