/**
 * Background work of change requests, from the job table:
 * - `change.feasibility_timer` (keys `change:<id>:feasibility:<atRisk|breached>`): the
 *   feasibility target's warning and breach. Whenever the target's instants change
 *   (created, paused, resumed, answered) the keys are rewritten in the same transaction
 *   (`syncTimers`, as incident.jobs.ts does for SLA targets); the handler fires each event
 *   at most once (a conditional update decides) and records it in the timeline and audit.
 * - `change.confirmation_timeout` (key `change:<id>:confirm`): a finished change the
 *   client has not confirmed (検収) by its confirmation due instant closes itself.
 */
import type { Executor } from '../../db/database.ts';
import { cancelJobs, enqueue, enqueueMany, type EnqueueOptions } from '../../jobs/queue.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { timerInstants } from './change-request.clock.ts';
import type { ChangeRow } from './change-request.repository.ts';

export const FEASIBILITY_TIMER_JOB = 'change.feasibility_timer';
export const CONFIRMATION_TIMEOUT_JOB = 'change.confirmation_timeout';
export type TimerEvent = 'atRisk' | 'breached';

export interface FeasibilityTimerPayload {
  changeRequestId: string;
  event: TimerEvent;
}

export const timerKey = (id: string, event: TimerEvent) => `change:${id}:feasibility:${event}`;
export const confirmationKey = (id: string) => `change:${id}:confirm`;

/** The timer jobs a change request's feasibility target calls for. */
export function planTimers(row: ChangeRow, paused: boolean, now: number): EnqueueOptions[] {
  const due = timerInstants(row, paused);
  return (['atRisk', 'breached'] as const).flatMap((event) => {
    const at = due[event];
    if (at === null) return [];
    const payload: FeasibilityTimerPayload = { changeRequestId: row.id, event };
    return [{ kind: FEASIBILITY_TIMER_JOB, payload, runAt: at, dedupeKey: timerKey(row.id, event), now }];
  });
}

/** Rewrites the request's timer jobs from its row (call in the transaction that changed it). */
export async function syncTimers(ex: Executor, row: ChangeRow, paused: boolean, now: number): Promise<void> {
  await cancelJobs(ex, `change:${row.id}:feasibility:`);
  await enqueueMany(ex, planTimers(row, paused, now));
}

export async function armConfirmationTimeout(ex: Executor, id: string, at: number, now: number): Promise<void> {
  await enqueue(ex, { kind: CONFIRMATION_TIMEOUT_JOB, payload: { changeRequestId: id, dueAt: at }, runAt: at, dedupeKey: confirmationKey(id), now });
}

export async function cancelConfirmationTimeout(ex: Executor, id: string): Promise<void> {
  await cancelJobs(ex, confirmationKey(id));
}

export interface ChangeJobTarget {
  fireFeasibilityTimer(p: FeasibilityTimerPayload, now: number): Promise<boolean>;
  autoClose(id: string, now: number): Promise<boolean>;
}

export function createChangeRequestJobHandlers(deps: { changeRequests: ChangeJobTarget }): Record<string, JobHandler> {
  return {
    [FEASIBILITY_TIMER_JOB]: async (payload, ctx) => {
      await deps.changeRequests.fireFeasibilityTimer(payload as FeasibilityTimerPayload, ctx.now);
    },
    [CONFIRMATION_TIMEOUT_JOB]: async (payload, ctx) => {
      await deps.changeRequests.autoClose((payload as { changeRequestId: string }).changeRequestId, ctx.now);
    },
  };
}
