/**
 * What check results do (the monitoring side of the SLA clock): a batch of results is
 * recorded in one transaction — runs, live state, outages and the next check of each
 * monitor. A confirmed outage opens exactly one urgent incident (category outage,
 * channel monitoring, 24/7 clock) through the incident service, from the job table —
 * unless a maintenance window is running, in which case the outage is recorded and the
 * alert muted. While that incident is open, a new outage of the same monitor (flapping)
 * is linked to it instead of opening another. Recovery is recorded on the incident.
 */
import { uuidv7 } from 'uuidv7';
import { CHECK_DOWN, CHECK_UNKNOWN, CHECK_UP, utcDay } from '../../core/availability/index.ts';
import { OPEN_STATUSES } from '../../contract/vocabulary.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { when } from '../../i18n/when.ts';
import { enqueue } from '../../jobs/queue.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import { contractLocale } from '../mail/mail.service.ts';
import { maintenanceRunning } from '../maintenance/maintenance.service.ts';
import { INCIDENT_JOB, RECOVERY_JOB, STALE_FACTOR, type CheckedItem, type OutageEnding } from './monitoring.model.ts';
import * as repo from './monitoring.repository.ts';
import { applyResult } from './monitoring.state.ts';

/** The contract's zone and language: how the client reads an instant and a note on its incident. */
export async function readerOf(ex: Executor, contractId: string): Promise<{ timeZone: string; locale: Locale }> {
  const c = await repo.contractCalendar(ex, contractId, null);
  const timeZone = c ? (await loadWorkingCalendar(ex, c.calendarId)).timeZone : 'Asia/Tokyo';
  return { timeZone, locale: await contractLocale(ex, contractId) };
}

/** The incident service is handed in by the composition root (src/main.ts): a service never builds another. */
export function createOutageHandling(deps: ServiceDeps, { incidents }: { incidents: IncidentService }) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  return {
    /**
     * Records a batch of check results in one transaction: runs, live state,
     * outages (with their incident/recovery jobs), and the next check of each
     * monitor. A job whose claim was voided meanwhile (the monitor was edited)
     * is left alone: its new schedule wins.
     */
    async recordResults(ex: Executor, items: readonly CheckedItem[], now: number): Promise<void> {
      // The rows as they are now, locked: a monitor disabled or deleted while its check was in
      // flight records nothing (its outage already ended at the stop), and a result never
      // writes back a streak read before the stop.
      const fresh = new Map((await repo.monitorsByIds(ex, items.map((it) => it.monitor.id), { lock: true })).map((m) => [m.id, m]));
      if (items.length === 0) return;
      // A claim taken over by another process (this batch outlived its lease) is that process's to record.
      const claims = new Map((await ex.selectFrom('jobs').select(['id', 'lockToken']).where('id', 'in', items.map((it) => it.job.id)).forUpdate().execute())
        .map((j) => [j.id, j.lockToken]));
      for (const it of items) {
        if (claims.has(it.job.id) && claims.get(it.job.id) !== it.job.lockToken) continue;
        const m = fresh.get(it.monitor.id);
        if (!m || !fromFlag(m.enabled)) {
          await ex.deleteFrom('jobs').where('id', '=', it.job.id).where('lockToken', '=', it.job.lockToken).execute();
          continue;
        }
        const status = it.outcome.status;
        // The run: extend the current one when it is the same result without a gap, on the same
        // UTC day (a run never crosses midnight, so the daily rollup of old runs is exact).
        const contiguous = m.currentRunId !== null && m.lastResult === status && m.lastCheckAt !== null
          && it.at - m.lastCheckAt <= m.intervalMs * STALE_FACTOR && utcDay(it.at) === utcDay(m.lastCheckAt);
        let runId = m.currentRunId;
        if (contiguous) await repo.extendRun(ex, runId!, it.at, it.outcome.latencyMs);
        else {
          runId = uuidv7();
          await repo.insertRun(ex, {
            id: runId, monitorId: m.id, status, startedAt: it.at, lastAt: it.at, checks: 1, intervalMs: m.intervalMs,
            latencySumMs: it.outcome.latencyMs, latencyMaxMs: it.outcome.latencyMs,
          });
        }
        const prev = { failStreak: m.failStreak, okStreak: m.okStreak, firstFailAt: m.firstFailAt, recoveringSince: m.recoveringSince, outageSince: m.openOutageId ? (m.firstFailAt ?? it.at) : null };
        const { state, event } = applyResult(prev, status, it.at, m.confirmAfter, m.recoverAfter);
        let openOutageId = m.openOutageId;
        if (event?.kind === 'opened') {
          openOutageId = uuidv7();
          const muted = await maintenanceRunning(ex, m.contractId, m.systemId, it.at);
          await repo.insertOutage(ex, {
            id: openOutageId, monitorId: m.id, contractId: m.contractId, clientId: m.clientId, systemId: m.systemId,
            startedAt: event.startedAt, confirmedAt: it.at, endedAt: null, muted: toFlag(muted), incidentId: null, createdAt: now, updatedAt: now, endedBy: null, endReason: null,
          });
          if (!muted) await enqueue(ex, { kind: INCIDENT_JOB, payload: { outageId: openOutageId }, runAt: now, dedupeKey: `monitoring:incident:${openOutageId}`, now });
        } else if (event?.kind === 'closed' && openOutageId) {
          await repo.updateOutage(ex, openOutageId, { endedAt: event.endedAt, endedBy: 'recovered', updatedAt: now });
          await enqueue(ex, { kind: RECOVERY_JOB, payload: { outageId: openOutageId }, runAt: now, dedupeKey: `monitoring:recovery:${openOutageId}`, now });
          openOutageId = null;
        } else if (openOutageId && status === CHECK_DOWN) {
          // A muted outage that outlasts the maintenance window is alerted then.
          const o2 = await repo.findOutage(ex, openOutageId, null);
          if (o2 && fromFlag(o2.muted) && !(await maintenanceRunning(ex, m.contractId, m.systemId, it.at))) {
            await repo.updateOutage(ex, o2.id, { muted: 0, updatedAt: now });
            await enqueue(ex, { kind: INCIDENT_JOB, payload: { outageId: o2.id }, runAt: now, dedupeKey: `monitoring:incident:${o2.id}`, now });
          }
        }
        const liveState = openOutageId ? 'down' : status === CHECK_UP ? 'up' : status === CHECK_UNKNOWN ? 'unknown' : m.state === 'down' ? 'down' : 'up';
        await repo.updateMonitor(ex, m.id, {
          state: liveState,
          failStreak: state.failStreak,
          okStreak: state.okStreak,
          // While an outage is open firstFailAt keeps its start (the streak machine's outageSince).
          firstFailAt: openOutageId ? (state.outageSince ?? m.firstFailAt) : state.firstFailAt,
          recoveringSince: state.recoveringSince,
          lastCheckAt: it.at,
          lastResult: status,
          lastLatencyMs: it.outcome.latencyMs,
          lastError: it.outcome.error,
          currentRunId: runId,
          openOutageId,
        });
        // Next check on the monitor's own cadence; a late run does not pile up missed ones.
        const next = Math.max(it.job.runAt + m.intervalMs, now);
        await ex
          .updateTable('jobs')
          .set({ runAt: next, status: 'pending', attempts: 0, lockedUntil: null, lockToken: null, lastError: null, updatedAt: now })
          .where('id', '=', it.job.id)
          .where('lockToken', '=', it.job.lockToken)
          .execute();
      }
    },

    /**
     * The incident job: one urgent incident per confirmed outage, or the open one it belongs to.
     * The incident (or the flapping comment) and the outage's link commit in ONE unit of work, so a
     * crash anywhere leaves either both or neither: no orphan incident to guess at afterwards.
     */
    async openIncident(outageId: string): Promise<string | null> {
      return uow.command(SYSTEM_ACTOR, async (w) => {
        const { tx, now } = w;
        const outage = await repo.findOutage(tx, outageId, null);
        if (!outage || outage.incidentId || fromFlag(outage.muted)) {
          w.unchanged();
          return outage?.incidentId ?? null;
        }
        const m = await repo.findMonitor(tx, outage.monitorId, null, { withDeleted: true });
        // The client's incident speaks the client's language, with instants on the client's clock.
        const { timeZone, locale } = await readerOf(tx, outage.contractId);
        const monitor = m?.name ?? outage.systemId;
        let incidentId: string;
        const flapping = await repo.openIncidentOfMonitor(tx, outage.monitorId, OPEN_STATUSES);
        if (flapping) {
          await incidents.addCommentIn(w, flapping, { body: t(locale, 'monitoring.incident.downAgain', { monitor, at: when(locale, outage.startedAt, timeZone, { seconds: true }) }) });
          incidentId = flapping;
        } else {
          const created = await incidents.createIn(w, {
            contractId: outage.contractId,
            systemId: outage.systemId,
            title: t(locale, 'monitoring.incident.title', { monitor }),
            description: t(locale, 'monitoring.incident.description', {
              monitor,
              target: m?.kind === 'tcp' ? `${m.host}:${m.port}` : m?.url ?? '',
              count: m?.confirmAfter ?? '',
              at: when(locale, outage.startedAt, timeZone, { seconds: true }),
              error: m?.lastError ?? '-',
            }),
            channel: 'monitoring',
            category: 'outage',
            priority: 'urgent',
            receivedAt: Math.min(outage.confirmedAt, now),
          });
          incidentId = created.id;
        }
        const linked = await tx.updateTable('outages').set({ incidentId, updatedAt: now }).where('id', '=', outageId).where('incidentId', 'is', null).executeTakeFirst();
        // Exactly one job per outage (its dedupe key) makes this unreachable; if it ever were, the unit rolls back whole.
        if (Number(linked.numUpdatedRows) !== 1) throw new Error(`outage ${outageId} was linked meanwhile`);
        w.audit({ entity: 'outage', entityId: outageId, action: 'link_incident', after: { incidentId } });
        return incidentId;
      }, { name: 'monitoring.openIncident' });
    },

    /** The recovery job: the incident's timeline says when the system was seen up again. */
    async recordRecovery(outageId: string): Promise<boolean> {
      return uow.command(SYSTEM_ACTOR, async (w) => {
        const outage = await repo.findOutage(w.tx, outageId, null);
        if (!outage || outage.endedAt === null || (!outage.incidentId && fromFlag(outage.muted))) {
          w.unchanged();
          return false;
        }
        // The incident job has not run yet: retry later (the runner backs off).
        if (!outage.incidentId) throw new Error(`outage ${outageId} has no incident yet`);
        const minutes = Math.round((outage.endedAt - outage.startedAt) / 60_000);
        const m = await repo.findMonitor(w.tx, outage.monitorId, null, { withDeleted: true });
        const { timeZone, locale } = await readerOf(w.tx, outage.contractId);
        const endedBy = (outage.endedBy ?? 'recovered') as OutageEnding;
        const key = endedBy === 'recovered' ? 'recovered' : endedBy === 'manual' ? 'closed' : 'stopped';
        await incidents.addCommentIn(w, outage.incidentId, {
          body: t(locale, `monitoring.incident.${key}`, {
            monitor: m?.name ?? outage.systemId, at: when(locale, outage.endedAt, timeZone, { seconds: true }), minutes, reason: outage.endReason ?? '',
            why: t(locale, `monitoring.endedBy.${endedBy}`),
          }),
        });
        // The outage's own entry: its end as announced (webhooks derive outage.recovered from it).
        w.audit({ entity: 'outage', entityId: outageId, action: 'recover', after: { endedAt: outage.endedAt, endedBy } });
        return true;
      }, { name: 'monitoring.recordRecovery' });
    },
  };
}
