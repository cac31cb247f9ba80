/**
 * Background work of the maintenance module, from the job table:
 * - `maintenance.reminder` (key maintenance:reminder:<window>): the day before an
 *   announced window, unless it moved (the payload carries the start it was
 *   armed for) or was cancelled since;
 * - `maintenance.materialize` (key maintenance:materialize, re-armed daily):
 *   stores occurrences of every active series 90 days ahead.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { MATERIALIZE_JOB, REMINDER_JOB, type MaintenanceService } from './maintenance.service.ts';

export { MATERIALIZE_JOB, REMINDER_JOB };

export function createMaintenanceJobHandlers(deps: { db: Kysely<DB>; maintenance: MaintenanceService }): Record<string, JobHandler> {
  const service = deps.maintenance;
  return {
    [REMINDER_JOB]: async (payload, ctx) => {
      const p = payload as { windowId: string; startsAt: number };
      await service.remind(p.windowId, p.startsAt, ctx.now);
    },
    [MATERIALIZE_JOB]: async (_payload, ctx) => {
      await service.materializeAll(ctx.now);
      // Re-armed under the same key; the runner marks this run done and the upsert makes it pending again.
      await enqueue(deps.db, { kind: MATERIALIZE_JOB, payload: {}, runAt: ctx.now + 86_400_000, dedupeKey: 'maintenance:materialize', now: ctx.now });
    },
  };
}
