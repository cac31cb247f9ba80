/**
 * The desk's changes to monitoring: add, change, disable or delete a health check, close
 * an outage by hand, choose what the status page lists. Each is one unit of work with
 * its audit entry; stopping a monitor ends its open outage at once and marks the time
 * after it unknown, so no downtime (and no monitored time) is counted past the stop.
 */
import { uuidv7 } from 'uuidv7';
import { CHECK_UNKNOWN } from '../../core/availability/index.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { AppError, instantParam, notFound } from '../../errors.ts';
import { cancelJobs, enqueue } from '../../jobs/queue.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { contractCoversSystem } from '../contracts/contract.service.ts';
import {
  CHECK_JOB, checkKey, issue, RECOVERY_JOB, spread, STREAK_RESET, validate,
  type Monitor, type MonitorInput, type MonitorPatch, type Outage, type OutageEnding, type StatusPageIncidents,
} from './monitoring.model.ts';
import { readerOf } from './monitoring.outages.ts';
import * as repo from './monitoring.repository.ts';

export async function armCheck(ex: Executor, m: Monitor, runAt: number, now: number): Promise<void> {
  if (!fromFlag(m.enabled)) {
    await cancelJobs(ex, checkKey(m.id));
    return;
  }
  // maxAttempts is irrelevant: the monitor runner never fails a check job, it reschedules it.
  await enqueue(ex, { kind: CHECK_JOB, payload: { monitorId: m.id }, runAt, dedupeKey: checkKey(m.id), now });
}


/** Ends an open outage at `now` (how, and the agent's reason for a manual close); the incident's note follows by job. */
async function endOutage(w: Work, o: Outage, endedBy: OutageEnding, reason: string | null): Promise<Outage> {
  const after: Outage = { ...o, endedAt: w.now, endedBy, endReason: reason, updatedAt: w.now };
  await repo.updateOutage(w.tx, o.id, { endedAt: after.endedAt, endedBy, endReason: reason, updatedAt: w.now });
  await enqueue(w.tx, { kind: RECOVERY_JOB, payload: { outageId: o.id }, runAt: w.now, dedupeKey: `monitoring:recovery:${o.id}`, now: w.now });
  w.audit({ entity: 'outage', entityId: o.id, action: endedBy === 'manual' ? 'close' : 'end', before: o, after });
  return after;
}

/**
 * Monitoring of `m` stops now (disabled or deleted): its open outage ends here, and an
 * unknown run starting now cuts its last run short, so no monitored time (and no downtime)
 * is counted after the stop: that time is unknown. Returns the monitor fields to write.
 */
async function stopMonitoring(w: Work, m: Monitor, endedBy: 'monitor_disabled' | 'monitor_deleted') {
  if (m.openOutageId) {
    const o = await repo.findOutage(w.tx, m.openOutageId, null, true);
    if (o && o.endedAt === null) await endOutage(w, o, endedBy, null);
  }
  if (m.currentRunId !== null) {
    await repo.insertRun(w.tx, {
      id: uuidv7(), monitorId: m.id, status: CHECK_UNKNOWN, startedAt: w.now, lastAt: w.now, checks: 0, intervalMs: m.intervalMs,
      latencySumMs: 0, latencyMaxMs: 0,
    });
  }
  await cancelJobs(w.tx, checkKey(m.id));
  return { ...STREAK_RESET, currentRunId: null, lastResult: null };
}


export function createMonitorCommands(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  return {
    async create(actor: Actor, input: MonitorInput): Promise<Monitor> {
      authorize(actor, 'monitor.create');
      const now = clock();
      const cfg = {
        name: input.name, kind: input.kind, url: input.url ?? null, host: input.host ?? null, port: input.port ?? null,
        expectedStatus: input.expectedStatus ?? null, keyword: input.keyword ?? null,
        keywordMode: input.keyword ? (input.keywordMode ?? 'present') : null,
        intervalMs: input.intervalMs ?? 60_000, timeoutMs: input.timeoutMs ?? 10_000, retries: input.retries ?? 0,
        confirmAfter: input.confirmAfter ?? 3, recoverAfter: input.recoverAfter ?? 2,
      };
      const issues = validate(cfg);
      if (issues.length) throw new AppError('monitor.invalid', 'invalid monitor', issues);
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const c = await repo.contractCalendar(tx, input.contractId, clientScope(actor));
        if (!c) throw notFound('contract');
        if (!(await contractCoversSystem(tx, c.id, input.systemId))) {
          throw new AppError('monitor.invalid', 'invalid monitor', [issue(['systemId'], 'not_found', 'not a system of this contract')]);
        }
        const row: Monitor = {
          id: uuidv7(), contractId: c.id, clientId: c.clientId, systemId: input.systemId, ...cfg, name: cfg.name.trim(),
          enabled: toFlag(input.enabled ?? true), state: 'unknown', failStreak: 0, okStreak: 0, firstFailAt: null, recoveringSince: null,
          lastCheckAt: null, lastResult: null, lastLatencyMs: null, lastError: null, currentRunId: null, openOutageId: null,
          createdBy: actor.userId, createdAt: now, updatedAt: now, deletedAt: null,
        };
        await repo.insertMonitor(tx, row);
        await armCheck(tx, row, now + spread(row.id, row.intervalMs), now);
        w.audit({ entity: 'monitor', entityId: row.id, action: 'create', after: row });
        return row;
      }, { now, name: 'monitor.create' });
    },

    async update(actor: Actor, id: string, patch: MonitorPatch): Promise<Monitor> {
      authorize(actor, 'monitor.update');
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const before = await repo.findMonitor(tx, id, clientScope(actor), { lock: true });
        if (!before) throw notFound('monitor');
        const after: Monitor = {
          ...before,
          ...Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'enabled')),
          ...(patch.enabled !== undefined ? { enabled: toFlag(patch.enabled) } : {}),
          updatedAt: now,
        } as Monitor;
        if (after.kind === 'http' && after.keyword && !after.keywordMode) after.keywordMode = 'present';
        const issues = validate(after as never);
        if (issues.length) throw new AppError('monitor.invalid', 'invalid monitor', issues);
        // Disabling stops monitoring: the outage it was in ends now, the time after it is unknown.
        if (fromFlag(before.enabled) && !fromFlag(after.enabled)) Object.assign(after, await stopMonitoring(w, before, 'monitor_disabled'));
        await repo.updateMonitor(tx, id, after);
        // A changed monitor is checked at once with its new settings.
        await armCheck(tx, after, now, now);
        w.audit({ entity: 'monitor', entityId: id, action: 'update', before, after });
        return after;
      }, { now, name: 'monitor.update' });
    },

    /**
     * Deletes a monitor (staff): gone from the desk and never checked again, its open outage
     * ends now ("monitoring stopped"); its runs and outages stay for availability (soft delete).
     */
    async remove(actor: Actor, id: string): Promise<Monitor> {
      authorize(actor, 'monitor.delete');
      const now = clock();
      return uow.command(actor, async (w) => {
        const before = await repo.findMonitor(w.tx, id, clientScope(actor), { lock: true });
        if (!before) throw notFound('monitor');
        const after: Monitor = { ...before, ...(await stopMonitoring(w, before, 'monitor_deleted')), enabled: 0, deletedAt: now, updatedAt: now };
        await repo.updateMonitor(w.tx, id, after);
        w.audit({ entity: 'monitor', entityId: id, action: 'delete', before, after });
        return after;
      }, { now, name: 'monitor.delete' });
    },

    /**
     * Closes an open outage by hand (staff), with a reason: a false alarm, a monitor that is
     * itself broken. It ends now; the monitor's streak starts over, so failures that go on
     * confirm a new outage rather than extending the closed one.
     */
    async closeOutage(actor: Actor, id: string, reason: string): Promise<Outage> {
      authorize(actor, 'outage.close');
      const now = clock();
      return uow.command(actor, async (w) => {
        const seen = await repo.findOutage(w.tx, id, clientScope(actor));
        if (!seen) throw notFound('outage');
        // Monitor first, then outage: the order a check result takes them in (no deadlock on PostgreSQL).
        const m = await repo.findMonitor(w.tx, seen.monitorId, null, { withDeleted: true, lock: true });
        const o = (await repo.findOutage(w.tx, id, null, true))!;
        if (o.endedAt !== null) {
          // When it ended, as the contract's reader writes instants (the message had shown raw ISO 8601).
          const { timeZone } = await readerOf(w.tx, o.contractId);
          throw new AppError('outage.already_ended', `outage ${id} already ended`, [], { endedAt: instantParam(o.endedAt, timeZone) });
        }
        const after = await endOutage(w, o, 'manual', reason.trim());
        if (m?.openOutageId === o.id) await repo.updateMonitor(w.tx, m.id, { ...STREAK_RESET, updatedAt: now });
        return after;
      }, { now, name: 'outage.close' });
    },

    async setStatusPageSettings(actor: Actor, contractId: string, incidents: StatusPageIncidents) {
      authorize(actor, 'status_page.update_settings');
      const now = clock();
      return uow.command(actor, async (w) => {
        const c = await repo.contractCalendar(w.tx, contractId, null);
        if (!c) throw notFound('contract');
        const before = await repo.statusPageSettings(w.tx, c.id);
        const after = { contractId: c.id, incidents, updatedAt: now };
        await repo.upsertStatusPageSettings(w.tx, after);
        w.audit({ entity: 'status_page', entityId: c.id, action: 'update', before: before ?? null, after });
        return after;
      }, { now, name: 'statusPage.update' });
    },
  };
}
