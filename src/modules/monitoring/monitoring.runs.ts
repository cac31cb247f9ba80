/**
 * A monitor's recent results for the monitoring screen: results are stored as runs
 * (one row per stretch of equal results, see monitoring.outages.ts), so the latest
 * runs, newest first, with their average and worst latency, are its "last results".
 */
import { CHECK_DOWN, CHECK_UP } from '../../core/availability/index.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import * as repo from './monitoring.repository.ts';

export interface MonitorRunView {
  status: 'up' | 'down' | 'unknown';
  startedAt: number;
  lastAt: number;
  checks: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

export function createMonitorRuns({ db }: ServiceDeps) {
  return {
    /** The latest `limit` runs of a monitor the actor may see (a deleted one too: its history stays). */
    async recentRuns(actor: Actor, monitorId: string, limit: number): Promise<MonitorRunView[]> {
      authorize(actor, 'monitor.read');
      const m = await repo.findMonitor(db, monitorId, clientScope(actor), { withDeleted: true });
      if (!m) throw notFound('monitor');
      const rows = await repo.latestRuns(db, monitorId, limit);
      return rows.map((r) => ({
        status: r.status === CHECK_UP ? 'up' : r.status === CHECK_DOWN ? 'down' : 'unknown',
        startedAt: r.startedAt,
        lastAt: r.lastAt,
        checks: r.checks,
        avgLatencyMs: r.checks > 0 ? Math.round(r.latencySumMs / r.checks) : 0,
        maxLatencyMs: r.latencyMaxMs,
      }));
    },
  };
}
