/**
 * Claims due jobs and runs their handlers. Claiming is one short transaction:
 * PostgreSQL workers select with FOR UPDATE SKIP LOCKED so concurrent runners
 * never take the same row; SQLite serialises writers with BEGIN IMMEDIATE. A
 * claim is a lease (locked_until) with a random token; completion only counts
 * while the token still matches, so a rescheduled or re-claimed job is not lost.
 * The sweep reads the partial index of pending jobs by run_at, so its cost grows
 * with the number of due jobs, not with open incidents or job history.
 *
 * One runner per process serves every kind, in lanes that are claimed and run
 * independently (the Scheduler drives them from one loop), so a slow job of one
 * lane never holds up another:
 * - the job lane: every kind with a plain handler (`JobHandler`), claimed up to
 *   `batchSize` at a time and run `concurrency` at a time; the runner completes
 *   each job, or retries it with back-off, or marks it failed;
 * - one lane per batch kind (`BatchHandler`, e.g. the health checks): up to
 *   `batchLane.size` due jobs are handed to the handler at once, and
 *   `batchLane.concurrency` batches may be in flight. The handler owns the
 *   outcome of every job it is given (see `BatchHandler`).
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

/**
 * Thrown by a handler when trying again cannot help (mail refused for good, or no
 * SMTP configured): the job is marked failed at once, with this message, instead
 * of being retried with back-off.
 */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface BatchContext {
  /** The claim's instant. */
  now: number;
}

/**
 * A kind whose due jobs are worth handling together (one transaction for many
 * results). The runner neither completes nor retries these jobs: the handler
 * reschedules, completes or deletes each one itself, matching its lock token so
 * that a claim voided meanwhile (the job was re-enqueued under its key) is left
 * alone. If the handler throws, the claims lapse with the lease and the jobs are
 * claimed again then.
 */
export interface BatchHandler<T = Row<'jobs'>> {
  /**
   * A kind whose work is queued in its own table (webhook deliveries: one row per event and
   * endpoint already, so a job row beside each would double every write) claims its due items
   * itself, with a lease of `leaseMs` as the jobs table's claims have. Absent: due jobs of
   * this kind are claimed from the jobs table.
   */
  claim?(o: { size: number; leaseMs: number; now: number }): Promise<T[]>;
  batch(jobs: readonly T[], ctx: BatchContext): Promise<void>;
}

/** Any lane's handler: a lane hands its batch handler only what that lane claimed (job rows or its own items). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the item type is the handler's own, checked where it is made
export type AnyBatchHandler = BatchHandler<any>;

export type Handler = JobHandler | AnyBatchHandler;

export const isBatchHandler = (h: Handler): h is AnyBatchHandler => typeof h !== 'function';

/** Settings of the batch kinds' lanes (each batch kind has its own lane with these). */
export interface BatchLaneOptions {
  /** Jobs claimed per batch. */
  size?: number;
  /** Batches in flight at once (each claims, runs and records on its own). */
  concurrency?: number;
  /** How long a claim is held before another runner may take the jobs over. */
  leaseMs?: number;
  /** Sleep after a claim that found less than a full batch. */
  idleMs?: number;
}

export interface RunnerOptions {
  handlers: Record<string, Handler>;
  clock?: () => number;
  /** How long a claim of the job lane is held before another runner may take the job over. */
  leaseMs?: number;
  /** Jobs of the job lane claimed at once. */
  batchSize?: number;
  /**
   * Jobs of one claimed batch of the job lane run this many at a time. Useful on
   * PostgreSQL (a pool of connections); on SQLite writes are serialised anyway, so keep 1.
   */
  concurrency?: number;
  batchLane?: BatchLaneOptions;
  onError?: (job: Row<'jobs'>, err: unknown) => void;
}

/** One lane: the kinds it claims and how. */
export interface Lane {
  /** 'jobs' for the job lane, else the batch kind. */
  readonly name: string;
  readonly kinds: readonly string[];
  readonly batchSize: number;
  readonly leaseMs: number;
  /** Batches of this lane in flight at once. */
  readonly slots: number;
  /** Sleep after a short claim; null: the scheduler's poll interval. */
  readonly idleMs: number | null;
  readonly batch: AnyBatchHandler | null;
}

const backoffMs = (attempts: number) => Math.min(60 * 60_000, 10_000 * 2 ** (attempts - 1));

export class JobRunner {
  readonly #database: Database;
  readonly #handlers: Record<string, JobHandler>;
  readonly #clock: () => number;
  readonly #concurrency: number;
  readonly #onError: (job: Row<'jobs'>, err: unknown) => void;
  readonly #lanes: readonly Lane[];

  constructor(database: Database, o: RunnerOptions) {
    this.#database = database;
    this.#clock = o.clock ?? Date.now;
    this.#concurrency = Math.max(1, o.concurrency ?? 1);
    this.#onError = o.onError ?? (() => undefined);
    const single: Record<string, JobHandler> = {};
    const lanes: Lane[] = [];
    const b = o.batchLane ?? {};
    for (const [kind, h] of Object.entries(o.handlers)) {
      if (!isBatchHandler(h)) {
        single[kind] = h;
        continue;
      }
      lanes.push({
        name: kind, kinds: [kind], batch: h,
        batchSize: b.size ?? 200, leaseMs: b.leaseMs ?? 120_000, slots: Math.max(1, b.concurrency ?? 2), idleMs: b.idleMs ?? 200,
      });
    }
    this.#handlers = single;
    // The job lane first, so `claim()` without a lane keeps meaning "claim jobs".
    lanes.unshift({
      name: 'jobs', kinds: Object.keys(single), batch: null,
      batchSize: o.batchSize ?? 50, leaseMs: o.leaseMs ?? 5 * 60_000, slots: 1, idleMs: null,
    });
    this.#lanes = lanes.filter((l) => l.kinds.length > 0);
  }

  get lanes(): readonly Lane[] {
    return this.#lanes;
  }

  /** Every kind this runner claims. */
  get kinds(): string[] {
    return this.#lanes.flatMap((l) => l.kinds);
  }

  /** Claims up to one batch of due jobs of a lane (default: the first, the job lane when there is one). */
  async claim(lane: Lane | undefined = this.#lanes[0]): Promise<Row<'jobs'>[]> {
    if (!lane || lane.kinds.length === 0) return [];
    const now = this.#clock();
    // Items of a self-claiming lane only ever go back to its own handler (run()), never read as job rows.
    if (lane.batch?.claim) return (await lane.batch.claim({ size: lane.batchSize, leaseMs: lane.leaseMs, now })) as Row<'jobs'>[];
    const token = crypto.randomUUID();
    const { db, dialect } = this.#database;
    return db.transaction().execute(async (tx) => {
      // Raw SQL for the one statement that differs by dialect (the locking clause).
      const due = await sql<{ id: string }>`
        select id from jobs
        where status = 'pending' and run_at <= ${now}
          and (locked_until is null or locked_until < ${now})
          and kind in (${sql.join(lane.kinds)})
        order by run_at
        limit ${lane.batchSize}${sql.raw(lockSkipLocked(dialect))}`.execute(tx);
      if (due.rows.length === 0) return [];
      return tx
        .updateTable('jobs')
        .set((eb) => ({
          lockedUntil: now + lane.leaseMs,
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
    const permanent = err instanceof PermanentJobError;
    const message = permanent ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    const failed = permanent || job.attempts >= job.maxAttempts;
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

  /**
   * Runs jobs claimed for a lane. Job lane: each job's handler, `concurrency` at a
   * time, each completed or retried. Batch lane: the batch handler once; its error
   * (if any) is thrown, the jobs stay leased.
   */
  async run(lane: Lane, jobs: readonly Row<'jobs'>[]): Promise<void> {
    if (jobs.length === 0) return;
    if (lane.batch) {
      await lane.batch.batch(jobs, { now: this.#clock() });
      return;
    }
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) await this.#run(jobs[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, jobs.length) }, worker));
  }

  /** Claims and runs one batch of every lane (lanes side by side); returns how many jobs it ran. */
  async runBatch(): Promise<number> {
    return (await this.#round(this.#lanes)).reduce((n, r) => n + r.jobs, 0);
  }

  async #round(lanes: readonly Lane[]): Promise<Array<{ lane: Lane; jobs: number }>> {
    const claimed: Array<{ lane: Lane; jobs: Row<'jobs'>[] }> = [];
    for (const lane of lanes) claimed.push({ lane, jobs: await this.claim(lane) });
    // Every lane finishes before an error is passed on, so nothing runs on after the call returns.
    const settled = await Promise.allSettled(claimed.map((c) => this.run(c.lane, c.jobs)));
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure) throw failure.reason;
    return claimed.map((c) => ({ lane: c.lane, jobs: c.jobs.length }));
  }

  /**
   * Runs batches until nothing is due (tests, CLI): a lane is claimed again only
   * while it comes back with a full batch, so work a round enqueues or reschedules
   * for now runs in the next call, as with a polling sweep.
   */
  async runDue(): Promise<number> {
    let total = 0;
    let lanes = this.#lanes;
    while (lanes.length > 0) {
      const r = await this.#round(lanes);
      total += r.reduce((n, x) => n + x.jobs, 0);
      lanes = r.filter((x) => x.jobs >= x.lane.batchSize).map((x) => x.lane);
    }
    return total;
  }
}
