/**
 * Durable jobs in the `jobs` table of the same database, enqueued inside the
 * caller's transaction: a change, its audit row and its follow-up work commit or
 * roll back together, and side effects (mail) only ever run after commit.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../db/database.ts';
import { insertRows, type Upsert } from '../db/insert-rows.ts';

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
  await enqueueMany(ex, [o]);
}

/** Several jobs in one statement (e.g. all timers of an incident). Keys must be distinct. */
const JOB_UPSERT: Upsert = {
  conflict: ['dedupeKey'],
  fromRow: ['kind', 'payload', 'runAt', 'maxAttempts', 'updatedAt'],
  // Clearing the token voids a claim in flight: that runner's completion will not match, so the rescheduled job still runs.
  fixed: { status: 'pending', attempts: 0, lockedUntil: null, lockToken: null, lastError: null },
};

export async function enqueueMany(ex: Executor, jobs: readonly EnqueueOptions[]): Promise<void> {
  if (jobs.length === 0) return;
  const rows = jobs.map((o) => ({
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
  }));
  // A NULL dedupe key never conflicts, so one upsert serves keyed and unkeyed jobs.
  // Deferrable: sent with the unit's other hot inserts in one statement on PostgreSQL (pg-driver.ts).
  await insertRows(ex, 'jobs', rows, JOB_UPSERT, { deferrable: true });
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

/**
 * Deletes finished jobs older than a cut-off. Done rows only serve as history
 * (a later enqueue of the same key simply inserts again); failed rows are kept
 * for inspection until they are this old too.
 */
export async function pruneJobs(ex: Executor, olderThan: number): Promise<number> {
  const r = await ex
    .deleteFrom('jobs')
    .where('status', 'in', ['done', 'failed'])
    .where('updatedAt', '<', olderThan)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
