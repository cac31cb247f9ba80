/**
 * Claims due jobs and runs their handlers. Claiming is one short transaction:
 * PostgreSQL workers select with FOR UPDATE SKIP LOCKED so concurrent runners
 * never take the same row; SQLite serialises writers with BEGIN IMMEDIATE. A
 * claim is a lease (locked_until) with a random token; completion only counts
 * while the token still matches, so a rescheduled or re-claimed job is not lost.
 * The sweep reads the partial index of pending jobs by run_at, so its cost grows
 * with the number of due jobs, not with open incidents or job history.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { lockSkipLocked } from '../db/dialect.ts';
import type { Row } from '../db/schema.ts';

export interface JobContext {
  job: Row<'jobs'>;
  now: number;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

export interface RunnerOptions {
  handlers: Record<string, JobHandler>;
  clock?: () => number;
  /** How long a claim is held before another runner may take the job over. */
  leaseMs?: number;
  batchSize?: number;
  /**
   * Jobs of one batch run this many at a time. Useful on PostgreSQL (a pool of
   * connections); on SQLite writes are serialised anyway, so keep 1.
   */
  concurrency?: number;
  onError?: (job: Row<'jobs'>, err: unknown) => void;
}

const backoffMs = (attempts: number) => Math.min(60 * 60_000, 10_000 * 2 ** (attempts - 1));

export class JobRunner {
  readonly #database: Database;
  readonly #handlers: Record<string, JobHandler>;
  readonly #clock: () => number;
  readonly #leaseMs: number;
  readonly #batchSize: number;
  readonly #concurrency: number;
  readonly #onError: (job: Row<'jobs'>, err: unknown) => void;

  constructor(database: Database, o: RunnerOptions) {
    this.#database = database;
    this.#handlers = o.handlers;
    this.#clock = o.clock ?? Date.now;
    this.#leaseMs = o.leaseMs ?? 5 * 60_000;
    this.#batchSize = o.batchSize ?? 50;
    this.#concurrency = Math.max(1, o.concurrency ?? 1);
    this.#onError = o.onError ?? (() => undefined);
  }

  /** Claims up to one batch of due jobs. */
  async claim(): Promise<Row<'jobs'>[]> {
    const now = this.#clock();
    const token = crypto.randomUUID();
    const { db, dialect } = this.#database;
    const kinds = Object.keys(this.#handlers);
    if (kinds.length === 0) return [];
    return db.transaction().execute(async (tx) => {
      // Raw SQL for the one statement that differs by dialect (the locking clause).
      const due = await sql<{ id: string }>`
        select id from jobs
        where status = 'pending' and run_at <= ${now}
          and (locked_until is null or locked_until < ${now})
          and kind in (${sql.join(kinds)})
        order by run_at
        limit ${this.#batchSize}${sql.raw(lockSkipLocked(dialect))}`.execute(tx);
      if (due.rows.length === 0) return [];
      return tx
        .updateTable('jobs')
        .set((eb) => ({
          lockedUntil: now + this.#leaseMs,
          lockToken: token,
          attempts: eb('attempts', '+', 1),
          updatedAt: now,
        }))
        .where('id', 'in', due.rows.map((r) => r.id))
        .returningAll()
        .execute();
    });
  }

  async #finish(job: Row<'jobs'>, err: unknown): Promise<void> {
    const now = this.#clock();
    const q = this.#database.db.updateTable('jobs').where('id', '=', job.id).where('lockToken', '=', job.lockToken);
    if (err === undefined) {
      await q.set({ status: 'done', lockedUntil: null, lockToken: null, lastError: null, updatedAt: now }).execute();
      return;
    }
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    const failed = job.attempts >= job.maxAttempts;
    await q
      .set({
        status: failed ? 'failed' : 'pending',
        runAt: failed ? job.runAt : now + backoffMs(job.attempts),
        lockedUntil: null,
        lockToken: null,
        lastError: message.slice(0, 4000),
        updatedAt: now,
      })
      .execute();
  }

  async #run(job: Row<'jobs'>): Promise<void> {
    const handler = this.#handlers[job.kind];
    let error: unknown = undefined;
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(JSON.parse(job.payload) as unknown, { job, now: this.#clock() });
    } catch (e) {
      error = e ?? new Error('job failed');
      this.#onError(job, e);
    }
    await this.#finish(job, error);
  }

  /** Claims and runs one batch; returns how many jobs it ran. */
  async runBatch(): Promise<number> {
    const jobs = await this.claim();
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) await this.#run(jobs[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, jobs.length) }, lane));
    return jobs.length;
  }

  /** Runs batches until nothing is due. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runBatch();
      total += n;
      if (n < this.#batchSize) return total;
    }
  }
}
