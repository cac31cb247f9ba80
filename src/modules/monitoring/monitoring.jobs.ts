/**
 * Health checks through the job table. Each monitor has one pending job
 * (`monitor.check`, key monitor:<id>) whose run_at is its next check. The
 * monitor runner claims due check jobs in batches — FOR UPDATE SKIP LOCKED on
 * PostgreSQL, BEGIN IMMEDIATE on SQLite, with a lease token — so with several
 * app processes every check runs once; it runs the batch's checks concurrently
 * (network waits overlap), then records all results and moves every job to its
 * next run_at in one transaction. The general JobRunner never sees these jobs
 * (it claims only kinds it has handlers for); the incident and recovery jobs a
 * check enqueues are ordinary jobs for it.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { lockSkipLocked } from '../../db/dialect.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { performCheck, type CheckOutcome } from './monitoring.checker.ts';
import * as repo from './monitoring.repository.ts';
import { CHECK_JOB, INCIDENT_JOB, RECOVERY_JOB, type CheckedItem, type MonitoringService } from './monitoring.service.ts';

export { CHECK_JOB, INCIDENT_JOB, RECOVERY_JOB };

export function createMonitoringJobHandlers({ monitoring: service }: { monitoring: MonitoringService }): Record<string, JobHandler> {
  return {
    [INCIDENT_JOB]: async (payload) => void (await service.openIncident((payload as { outageId: string }).outageId)),
    [RECOVERY_JOB]: async (payload) => void (await service.recordRecovery((payload as { outageId: string }).outageId)),
  };
}

export interface MonitorRunnerOptions {
  /** The process's monitoring service (from the composition root). */
  monitoring: MonitoringService;
  clock?: () => number;
  /** Check jobs claimed per batch. */
  batchSize?: number;
  /** Batches in flight at once (each claims, checks and records on its own). */
  workers?: number;
  /** How long a claim is held before another runner may take the check over. */
  leaseMs?: number;
  /** Sleep when nothing is due. */
  idleMs?: number;
  /** Runs the check; tests and the bench may pass their own network-free stand-in. */
  check?: (m: repo.MonitorRow) => Promise<CheckOutcome>;
  onError?: (err: unknown) => void;
}

/** Figures for the bench and for operators. */
export interface MonitorRunnerStats {
  checks: number;
  batches: number;
  /** Scheduling lag (start − due) of recent checks, ms. */
  lags: number[];
}

export class MonitorRunner {
  readonly #database: Database;
  readonly #service: MonitoringService;
  readonly #clock: () => number;
  readonly #batchSize: number;
  readonly #workers: number;
  readonly #leaseMs: number;
  readonly #idleMs: number;
  readonly #check: (m: repo.MonitorRow) => Promise<CheckOutcome>;
  readonly #onError: (err: unknown) => void;
  #stopped = true;
  #loops: Promise<void>[] = [];
  #wake: Array<() => void> = [];
  readonly stats: MonitorRunnerStats = { checks: 0, batches: 0, lags: [] };

  constructor(database: Database, o: MonitorRunnerOptions) {
    this.#database = database;
    this.#clock = o.clock ?? Date.now;
    this.#service = o.monitoring;
    this.#batchSize = o.batchSize ?? 200;
    this.#workers = o.workers ?? 2;
    this.#leaseMs = o.leaseMs ?? 120_000;
    this.#idleMs = o.idleMs ?? 200;
    this.#check = o.check ?? ((m) => performCheck(m));
    this.#onError = o.onError ?? (() => undefined);
  }

  /** Claims up to one batch of due check jobs. */
  async claim(): Promise<Array<{ id: string; runAt: number; payload: string; lockToken: string | null }>> {
    const now = this.#clock();
    const token = crypto.randomUUID();
    const { db, dialect } = this.#database;
    return db.transaction().execute(async (tx) => {
      const due = await sql<{ id: string }>`
        select id from jobs
        where status = 'pending' and run_at <= ${now} and kind = ${CHECK_JOB}
          and (locked_until is null or locked_until < ${now})
        order by run_at
        limit ${this.#batchSize}${sql.raw(lockSkipLocked(dialect))}`.execute(tx);
      if (due.rows.length === 0) return [];
      return tx
        .updateTable('jobs')
        .set((eb) => ({ lockedUntil: now + this.#leaseMs, lockToken: token, attempts: eb('attempts', '+', 1), updatedAt: now }))
        .where('id', 'in', due.rows.map((r) => r.id))
        .returning(['id', 'runAt', 'payload', 'lockToken'])
        .execute();
    });
  }

  /** Claims one batch, runs its checks concurrently, records them; returns how many ran. */
  async runBatch(): Promise<number> {
    const jobs = await this.claim();
    if (jobs.length === 0) return 0;
    const ids = jobs.map((j) => (JSON.parse(j.payload) as { monitorId: string }).monitorId);
    const monitors = new Map((await repo.monitorsByIds(this.#database.db, ids)).map((m) => [m.id, m]));
    const items: CheckedItem[] = [];
    const gone: string[] = [];
    await Promise.all(jobs.map(async (job, i) => {
      const monitor = monitors.get(ids[i]!);
      if (!monitor || monitor.enabled !== 1) {
        gone.push(job.id);
        return;
      }
      const at = this.#clock();
      this.#lag(at - job.runAt);
      const outcome = await this.#check(monitor);
      items.push({ job, monitor, outcome, at });
    }));
    // Results in check order, so a monitor's streak sees them as they happened.
    items.sort((a, b) => a.at - b.at);
    const now = this.#clock();
    await this.#database.db.transaction().execute(async (tx) => {
      await this.#service.recordResults(tx, items, now);
      if (gone.length) await tx.deleteFrom('jobs').where('id', 'in', gone).execute();
    });
    this.stats.checks += items.length;
    this.stats.batches += 1;
    return jobs.length;
  }

  #lag(ms: number): void {
    const l = this.stats.lags;
    if (l.length >= 100_000) l.splice(0, 50_000);
    l.push(ms);
  }

  /** Runs batches until nothing is due (tests). */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runBatch();
      total += n;
      if (n < this.#batchSize) return total;
    }
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    for (let w = 0; w < this.#workers; w++) this.#loops.push(this.#loop());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of this.#wake.splice(0)) wake();
    await Promise.all(this.#loops.splice(0));
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let n = 0;
      try {
        n = await this.runBatch();
      } catch (e) {
        this.#onError(e);
      }
      if (n < this.#batchSize && !this.#stopped) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(() => {
            this.#wake = this.#wake.filter((x) => x !== wake);
            resolve();
          }, this.#idleMs);
          t.unref();
          this.#wake.push(wake);
        });
      }
    }
  }
}
