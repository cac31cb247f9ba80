/**
 * Health checks through the job table. Each monitor has one pending job
 * (`monitor.check`, key monitor:<id>) whose run_at is its next check. The check
 * kind is a batch kind of the one job runner (src/jobs/runner.ts): the runner
 * claims due check jobs in batches, in their own lane — FOR UPDATE SKIP LOCKED
 * on PostgreSQL, BEGIN IMMEDIATE on SQLite, with a lease token — so with several
 * app processes every check runs once, and a slow mail never delays a check.
 * The handler runs a batch's checks concurrently (network waits overlap), then
 * records all results and moves every job to its next run_at in one
 * transaction. A check job never fails: it reschedules itself; a claim voided
 * meanwhile by an edit of the monitor is left alone (its new schedule wins).
 * The incident and recovery jobs a check enqueues are ordinary jobs.
 */
import type { Kysely } from 'kysely';
import type { DB, Row } from '../../db/schema.ts';
import type { BatchHandler, Handler } from '../../jobs/runner.ts';
import { performCheck, type CheckOutcome } from './monitoring.checker.ts';
import * as repo from './monitoring.repository.ts';
import { CHECK_JOB, INCIDENT_JOB, RECOVERY_JOB, type CheckedItem, type MonitoringService } from './monitoring.service.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';

export { CHECK_JOB, INCIDENT_JOB, RECOVERY_JOB };

/** Figures for the bench and for operators. */
export interface MonitorCheckStats {
  checks: number;
  batches: number;
  /** Scheduling lag (start − due) of recent checks, ms. */
  lags: number[];
}

export interface MonitoringJobDeps {
  db: Kysely<DB>;
  monitoring: MonitoringService;
  clock: () => number;
  /** Runs the check; tests and the bench may pass their own network-free stand-in. */
  check?: (m: repo.MonitorRow) => Promise<CheckOutcome>;
}

/** The check batch handler and the incident/recovery jobs, with the check figures of this handler table. */
export function createMonitoringJobHandlers(deps: MonitoringJobDeps): { handlers: Record<string, Handler>; stats: MonitorCheckStats } {
  const { db, monitoring, clock } = deps;
  const uow = unitOfWork(db, clock);
  const check = deps.check ?? ((m: repo.MonitorRow) => performCheck(m));
  const stats: MonitorCheckStats = { checks: 0, batches: 0, lags: [] };
  const lag = (ms: number) => {
    const l = stats.lags;
    if (l.length >= 100_000) l.splice(0, 50_000);
    l.push(ms);
  };

  const checks: BatchHandler = {
    async batch(jobs: readonly Row<'jobs'>[]) {
      const ids = jobs.map((j) => (JSON.parse(j.payload) as { monitorId: string }).monitorId);
      const monitors = new Map((await repo.monitorsByIds(db, ids)).map((m) => [m.id, m]));
      const items: CheckedItem[] = [];
      const gone: Row<'jobs'>[] = [];
      await Promise.all(jobs.map(async (job, i) => {
        const monitor = monitors.get(ids[i]!);
        if (!monitor || monitor.enabled !== 1) {
          gone.push(job);
          return;
        }
        const at = clock();
        lag(at - job.runAt);
        const outcome = await check(monitor);
        items.push({ job, monitor, outcome, at });
      }));
      // Results in check order, so a monitor's streak sees them as they happened.
      items.sort((a, b) => a.at - b.at);
      const now = clock();
      // Check results are the desk's own bookkeeping (the outages they open are audited when linked).
      await uow.internal(SYSTEM_ACTOR, async ({ tx }) => {
        await monitoring.recordResults(tx, items, now);
        // Only while the claim holds (one claim, one token): a monitor enabled again meanwhile re-armed this very row.
        if (gone.length) {
          await tx.deleteFrom('jobs').where('id', 'in', gone.map((j) => j.id)).where('lockToken', 'in', [...new Set(gone.map((j) => j.lockToken ?? ''))]).execute();
        }
      }, { now });
      stats.checks += items.length;
      stats.batches += 1;
    },
  };

  return {
    handlers: {
      [CHECK_JOB]: checks,
      [INCIDENT_JOB]: async (payload) => void (await monitoring.openIncident((payload as { outageId: string }).outageId)),
      [RECOVERY_JOB]: async (payload) => void (await monitoring.recordRecovery((payload as { outageId: string }).outageId)),
    },
    stats,
  };
}
