/**
 * Durable jobs in the `jobs` table of the same database, enqueued inside the
 * caller's transaction: a change, its audit row and its follow-up work commit or
 * roll back together, and side effects (mail) only ever run after commit.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../db/database.ts';

export interface EnqueueOptions {
  kind: string;
  payload: unknown;
  runAt: number;
  /**
   * At most one job per key. Enqueueing an existing key reschedules it (new run
   * time and payload, pending again, attempts reset), which is how a changed
   * deadline moves its timer.
   */
  dedupeKey?: string;
  maxAttempts?: number;
  now: number;
}

export async function enqueue(ex: Executor, o: EnqueueOptions): Promise<void> {
  const row = {
    id: uuidv7(),
    kind: o.kind,
    payload: JSON.stringify(o.payload ?? null),
    runAt: o.runAt,
    status: 'pending',
    attempts: 0,
    maxAttempts: o.maxAttempts ?? 5,
    lockedUntil: null,
    lockToken: null,
    dedupeKey: o.dedupeKey ?? null,
    lastError: null,
    createdAt: o.now,
    updatedAt: o.now,
  };
  if (!o.dedupeKey) {
    await ex.insertInto('jobs').values(row).execute();
    return;
  }
  await ex
    .insertInto('jobs')
    .values(row)
    .onConflict((oc) =>
      oc.column('dedupeKey').doUpdateSet({
        kind: o.kind,
        payload: row.payload,
        runAt: o.runAt,
        status: 'pending',
        attempts: 0,
        maxAttempts: row.maxAttempts,
        // Clearing the token voids a claim in flight: that runner's completion
        // will not match, so the rescheduled job still runs.
        lockedUntil: null,
        lockToken: null,
        lastError: null,
        updatedAt: o.now,
      }),
    )
    .execute();
}

/** Removes pending jobs whose keys start with a prefix (e.g. all timers of an incident). */
export async function cancelJobs(ex: Executor, dedupeKeyPrefix: string): Promise<number> {
  const r = await ex
    .deleteFrom('jobs')
    // substr, not LIKE: portable and free of wildcard escaping (SQLite has no default ESCAPE).
    .where(sql<string>`substr(dedupe_key, 1, ${dedupeKeyPrefix.length})`, '=', dedupeKeyPrefix)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
