/**
 * Health checks per system of a contract (SPEC §5). A monitor's live state is
 * kept on its row; results are stored as runs (one row per stretch of equal
 * results); a confirmed outage is a row dated from its first failure, and opens
 * exactly one urgent incident (category outage, channel monitoring, 24/7 clock)
 * through the incident service, from the job table — unless a maintenance window
 * is running, in which case the outage is recorded and the alert muted. While
 * that incident is open, a new outage of the same monitor (flapping) is linked
 * to it instead of opening another. Recovery is recorded on the incident.
 */
import { uuidv7 } from 'uuidv7';
import {
  CHECK_DOWN, CHECK_UNKNOWN, CHECK_UP, dailyAvailability, monthlyAvailability, normalize, type AvailabilityResult, type Interval,
} from '../../core/availability/index.ts';
import { localDayNumberOf } from '../../core/time/zone.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { AppError, notFound, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import { cancelJobs, enqueue } from '../../jobs/queue.ts';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem } from '../contracts/contract.service.ts';
import { OPEN_STATUSES } from '../../contract/vocabulary.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { contractLocale } from '../mail/mail.service.ts';
import { contractByPublicToken, maintenanceForAvailability, maintenanceForStatusPage, maintenanceRunning } from '../maintenance/maintenance.service.ts';
import type { CheckOutcome } from './monitoring.checker.ts';
import * as repo from './monitoring.repository.ts';
import { applyResult } from './monitoring.state.ts';

export const CHECK_JOB = 'monitor.check';
export const INCIDENT_JOB = 'monitoring.incident';
export const RECOVERY_JOB = 'monitoring.recovery';
export const checkKey = (monitorId: string) => `monitor:${monitorId}`;
/** A result stands for at most this many intervals (the core's staleFactor). */
export const STALE_FACTOR = 1.5;

export type Monitor = repo.MonitorRow;
export type Outage = repo.OutageRow;

/** How an outage ended: the checks saw the system up again, monitoring stopped, or the desk closed it. */
export const OUTAGE_ENDINGS = ['recovered', 'monitor_disabled', 'monitor_deleted', 'manual'] as const;
export type OutageEnding = (typeof OUTAGE_ENDINGS)[number];
/** What the public status page lists besides systems and outages (default: outage incidents). */
export const STATUS_PAGE_INCIDENTS = ['none', 'outage', 'all'] as const;
export type StatusPageIncidents = (typeof STATUS_PAGE_INCIDENTS)[number];
export const DEFAULT_STATUS_PAGE_INCIDENTS: StatusPageIncidents = 'outage';
const RECENT_MS = 30 * 86_400_000;

/** An instant as the client reads it: wall-clock time in the contract's calendar zone, zone named. */
export function formatInstant(ms: number, timeZone: string): string {
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(ms);
  return `${local} (${timeZone})`;
}

/**
 * The monitor's fields once monitoring of it stops or its outage is closed by hand: no streak,
 * no open outage, state unknown until new results say otherwise.
 */
const STREAK_RESET = { state: 'unknown', failStreak: 0, okStreak: 0, firstFailAt: null, recoveringSince: null, openOutageId: null } as const;

export interface MonitorInput {
  contractId: string;
  systemId: string;
  name: string;
  kind: 'http' | 'tcp';
  url?: string | null;
  host?: string | null;
  port?: number | null;
  expectedStatus?: number | null;
  keyword?: string | null;
  keywordMode?: 'present' | 'absent' | null;
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  confirmAfter?: number;
  recoverAfter?: number;
  enabled?: boolean;
}

export interface CheckedItem {
  job: { id: string; runAt: number; lockToken: string | null };
  monitor: Monitor;
  outcome: CheckOutcome;
  /** When the check started. */
  at: number;
}

export interface SystemAvailability {
  systemId: string;
  name: string;
  figure: AvailabilityResult;
}

const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });

/** Spreads first checks over one interval so 20,000 monitors created at once do not fire together. */
function spread(id: string, intervalMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % Math.max(1, intervalMs);
}

function validate(m: Omit<MonitorInput, 'contractId' | 'systemId'> & { intervalMs: number; timeoutMs: number; retries: number; confirmAfter: number; recoverAfter: number }): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (!m.name?.trim()) issues.push(issue(['name'], 'too_small', 'required'));
  if (m.kind === 'http') {
    let ok = false;
    try {
      const u = new URL(m.url ?? '');
      ok = u.protocol === 'http:' || u.protocol === 'https:';
    } catch { /* reported below */ }
    if (!ok) issues.push(issue(['url'], 'invalid', 'an http:// or https:// URL'));
    if (m.keywordMode && !m.keyword) issues.push(issue(['keyword'], 'required', 'required with keywordMode'));
  } else if (m.kind === 'tcp') {
    if (!m.host?.trim()) issues.push(issue(['host'], 'required', 'required for tcp'));
    if (!Number.isInteger(m.port) || m.port! < 1 || m.port! > 65535) issues.push(issue(['port'], 'invalid', '1..65535'));
  } else issues.push(issue(['kind'], 'invalid_enum_value', 'http or tcp'));
  if (!(m.intervalMs >= 1000 && m.intervalMs <= 86_400_000)) issues.push(issue(['intervalMs'], 'invalid', '1 s .. 24 h'));
  if (!(m.timeoutMs >= 100 && m.timeoutMs <= 120_000)) issues.push(issue(['timeoutMs'], 'invalid', '100 ms .. 120 s'));
  if (m.timeoutMs * (m.retries + 1) > m.intervalMs) issues.push(issue(['timeoutMs'], 'invalid', 'timeout × (retries + 1) must fit in the interval'));
  for (const k of ['retries', 'confirmAfter', 'recoverAfter'] as const) {
    const min = k === 'retries' ? 0 : 1;
    if (!Number.isInteger(m[k]) || m[k] < min || m[k] > 100) issues.push(issue([k], 'invalid', `an integer ${min}..100`));
  }
  return issues;
}

/**
 * Where monitoring had a known (up or down) result, from runs: a run stands
 * from its first result until the next run starts, at most 1.5 intervals past
 * its last result (the core's rule for single results).
 */
export function monitoredFromRuns(runs: readonly repo.RunRow[]): Interval[] {
  const out: Interval[] = [];
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    if (r.status === CHECK_UNKNOWN) continue;
    const next = runs[i + 1]?.monitorId === r.monitorId ? runs[i + 1]!.startedAt : Infinity;
    out.push([r.startedAt, Math.min(r.lastAt + r.intervalMs * STALE_FACTOR, next)]);
  }
  return normalize(out);
}

/**
 * A monitor as the actor may see it: a contact gets its name and state, not where
 * or how it checks — the target (URL, host, port), the expected answer and the last
 * error (which names the target) are the vendor's infrastructure.
 */
function visibleTo(actor: Actor, m: Monitor): Monitor {
  if (may(actor, 'monitor.read_target')) return m;
  return { ...m, url: null, host: null, port: null, expectedStatus: null, keyword: null, keywordMode: null, lastError: null };
}

/** The incident service is handed in by the composition root (src/main.ts): a service never builds another. */
export function createMonitoringService(deps: ServiceDeps, { incidents }: { incidents: IncidentService }) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  async function load(ex: Executor, actor: Actor, id: string): Promise<Monitor> {
    const m = await repo.findMonitor(ex, id, clientScope(actor));
    if (!m) throw notFound('monitor');
    return m;
  }

  async function armCheck(ex: Executor, m: Monitor, runAt: number, now: number): Promise<void> {
    if (!fromFlag(m.enabled)) {
      await cancelJobs(ex, checkKey(m.id));
      return;
    }
    // maxAttempts is irrelevant: the monitor runner never fails a check job, it reschedules it.
    await enqueue(ex, { kind: CHECK_JOB, payload: { monitorId: m.id }, runAt, dedupeKey: checkKey(m.id), now });
  }

  /** The contract's zone and language: how the client reads an instant and a note on its incident. */
  async function readerOf(ex: Executor, contractId: string): Promise<{ timeZone: string; locale: Locale }> {
    const c = await repo.contractCalendar(ex, contractId, null);
    const timeZone = c ? (await loadWorkingCalendar(ex, c.calendarId)).timeZone : 'Asia/Tokyo';
    return { timeZone, locale: await contractLocale(ex, contractId) };
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

  /** Per-system and whole-contract availability over [from, to) or a month. */
  async function figures(
    ex: Executor, contractId: string, timeZone: string,
    period: { month: { year: number; month: number; asOf: number } } | { days: { firstDay: number; days: number } },
  ) {
    const systems = await repo.contractSystems(ex, contractId);
    // A deleted monitor's runs and outages are history: they still count.
    const monitors = await repo.listMonitors(ex, { scope: null, contractId, withDeleted: true });
    const [from, to] = 'month' in period
      ? [Date.UTC(period.month.year, period.month.month - 2, 1), Date.UTC(period.month.year, period.month.month, 2)]
      : [Date.UTC(1970, 0, period.days.firstDay - 1), Date.UTC(1970, 0, period.days.firstDay + period.days.days + 2)];
    const runs = await repo.runsBetween(ex, monitors.map((m) => m.id), from, to);
    const outages = await repo.listOutages(ex, { scope: null, contractId, from, to });
    const now = clock();
    const compute = async (systemId: string | null, monitorIds: Set<string>) => {
      const maint = await maintenanceForAvailability(ex, contractId, from, to, systemId ?? undefined);
      const downtime: Interval[] = [
        ...outages.filter((x) => monitorIds.has(x.monitorId)).map((x) => [x.startedAt, x.endedAt ?? now] as Interval),
        ...maint.emergency,
      ];
      const input = {
        maintenance: maint.planned,
        downtime,
        monitored: monitoredFromRuns(runs.filter((r) => monitorIds.has(r.monitorId))),
      };
      if ('month' in period) return [monthlyAvailability({ ...input, timeZone, ...period.month })];
      return dailyAvailability({ ...input, timeZone, ...period.days });
    };
    const perSystem: Array<{ systemId: string; name: string; figures: AvailabilityResult[] }> = [];
    for (const s of systems) {
      const ids = new Set(monitors.filter((m) => m.systemId === s.id).map((m) => m.id));
      perSystem.push({ systemId: s.id, name: s.name, figures: await compute(s.id, ids) });
    }
    // The contract is down when any of its systems is, and known where any monitor has data.
    const contract = await compute(null, new Set(monitors.map((m) => m.id)));
    return { contract, perSystem };
  }

  const service = {
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

    async get(actor: Actor, id: string): Promise<Monitor> {
      authorize(actor, 'monitor.read');
      return visibleTo(actor, await load(db, actor, id));
    },

    async list(actor: Actor, f: { contractId?: string; systemId?: string; limit?: number; offset?: number } = {}): Promise<Monitor[]> {
      authorize(actor, 'monitor.list');
      const rows = await repo.listMonitors(db, { scope: clientScope(actor), ...f, limit: Math.min(f.limit ?? 200, 1000) });
      return rows.map((m) => visibleTo(actor, m));
    },

    async update(actor: Actor, id: string, patch: Partial<Omit<MonitorInput, 'contractId' | 'systemId'>>): Promise<Monitor> {
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
        if (o.endedAt !== null) throw new AppError('outage.already_ended', `outage ${id} already ended`, [], { endedAt: new Date(o.endedAt).toISOString() });
        const after = await endOutage(w, o, 'manual', reason.trim());
        if (m?.openOutageId === o.id) await repo.updateMonitor(w.tx, m.id, { ...STREAK_RESET, updatedAt: now });
        return after;
      }, { now, name: 'outage.close' });
    },

    /** Which incidents the contract's public status page lists (default: outage incidents). */
    async statusPageSettings(actor: Actor, contractId: string): Promise<{ contractId: string; incidents: StatusPageIncidents; updatedAt: number | null }> {
      authorize(actor, 'status_page.read_settings');
      const c = await repo.contractCalendar(db, contractId, clientScope(actor));
      if (!c) throw notFound('contract');
      const s = await repo.statusPageSettings(db, c.id);
      return { contractId: c.id, incidents: (s?.incidents ?? DEFAULT_STATUS_PAGE_INCIDENTS) as StatusPageIncidents, updatedAt: s?.updatedAt ?? null };
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

    async outages(actor: Actor, f: { contractId?: string; monitorId?: string; openOnly?: boolean; limit?: number }): Promise<Outage[]> {
      authorize(actor, 'outage.list');
      return repo.listOutages(db, { scope: clientScope(actor), ...f, limit: Math.min(f.limit ?? 100, 1000) });
    },

    async getOutage(actor: Actor, id: string): Promise<Outage> {
      authorize(actor, 'outage.read');
      const o2 = await repo.findOutage(db, id, clientScope(actor));
      if (!o2) throw notFound('outage');
      return o2;
    },

    /**
     * Records a batch of check results in one transaction: runs, live state,
     * outages (with their incident/recovery jobs), and the next check of each
     * monitor. A check whose claim no longer holds records nothing: the job was
     * re-armed meanwhile (the monitor was edited; its new schedule wins) or, its
     * lease over, claimed by another process, whose result counts instead — so a
     * check is recorded once even when a slow batch outlives its lease.
     */
    async recordResults(ex: Executor, items: readonly CheckedItem[], now: number): Promise<void> {
      // The rows as they are now, locked: a monitor disabled or deleted while its check was in
      // flight records nothing (its outage already ended at the stop), and a result never
      // writes back a streak read before the stop.
      const fresh = new Map((await repo.monitorsByIds(ex, items.map((it) => it.monitor.id), { lock: true })).map((m) => [m.id, m]));
      if (items.length === 0) return;
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
        // The run: extend the current one when it is the same result without a gap.
        const contiguous = m.currentRunId !== null && m.lastResult === status && m.lastCheckAt !== null
          && it.at - m.lastCheckAt <= m.intervalMs * STALE_FACTOR;
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
          await incidents.addCommentIn(w, flapping, { body: t(locale, 'monitoring.incident.downAgain', { monitor, at: formatInstant(outage.startedAt, timeZone) }) });
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
              at: formatInstant(outage.startedAt, timeZone),
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
            monitor: m?.name ?? outage.systemId, at: formatInstant(outage.endedAt, timeZone), minutes, reason: outage.endReason ?? '',
            why: t(locale, `monitoring.endedBy.${endedBy}`),
          }),
        });
        return true;
      }, { name: 'monitoring.recordRecovery' });
    },

    /** Availability of a contract month, per system and for the contract, with the intervals behind each figure. */
    async availability(actor: Actor, contractId: string, year: number, month: number) {
      authorize(actor, 'contract.availability');
      const c = await repo.contractCalendar(db, contractId, clientScope(actor));
      if (!c) throw notFound('contract');
      const calendar = await loadWorkingCalendar(db, c.calendarId);
      const r = await figures(db, c.id, calendar.timeZone, { month: { year, month, asOf: clock() } });
      return { contractId: c.id, year, month, timeZone: calendar.timeZone, contract: r.contract[0]!, systems: r.perSystem.map((s) => ({ systemId: s.systemId, name: s.name, figure: s.figures[0]! })) };
    },

    /** The status page of the contract a public token opens; an unknown token is status_page.not_found. */
    async publicStatus(token: string) {
      const contractId = await contractByPublicToken(db, token);
      if (!contractId) throw notFound('status_page');
      return service.statusData(contractId);
    },

    /**
     * What the public status page shows: state per system (never "up" while an outage of it
     * is open), the outages of the last 30 days with how each ended, the incidents of the last
     * 30 days the contract lists (status page setting), running and upcoming maintenance with
     * titles (emergency included) and the emergency work of the last 30 days, 90 daily bars.
     */
    async statusData(contractId: string, days = 90) {
      const now = clock();
      const c = (await repo.contractCalendar(db, contractId, null))!;
      const calendar = await loadWorkingCalendar(db, c.calendarId);
      const today = localDayNumberOf(calendar.timeZone, now);
      const r = await figures(db, c.id, calendar.timeZone, { days: { firstDay: today - days + 1, days } });
      const monitors = await repo.listMonitors(db, { scope: null, contractId });
      const names = new Map(r.perSystem.map((x) => [x.systemId, x.name]));
      const outages = await repo.listOutages(db, { scope: null, contractId, from: now - RECENT_MS, limit: 200 });
      const open = outages.filter((x) => x.endedAt === null);
      const setting = ((await repo.statusPageSettings(db, contractId))?.incidents ?? DEFAULT_STATUS_PAGE_INCIDENTS) as StatusPageIncidents;
      const incidentsShown = setting === 'none' ? [] : await repo.recentIncidents(db, contractId, now - RECENT_MS, OPEN_STATUSES, setting === 'outage' ? 'outage' : null, 50);
      const windows = await maintenanceForStatusPage(db, contractId, now - RECENT_MS, now + RECENT_MS);
      const maintenance = windows
        .filter((w) => w.endsAt > now)
        .sort((a, b) => a.startsAt - b.startsAt)
        .slice(0, 20)
        .map((w) => ({ ...w, running: w.startsAt <= now, systemName: w.systemId ? names.get(w.systemId) ?? null : null }));
      const recentEmergency = windows
        .filter((w) => w.kind === 'emergency' && w.endsAt <= now)
        .sort((a, b) => b.startsAt - a.startsAt)
        .map((w) => ({ ...w, systemName: w.systemId ? names.get(w.systemId) ?? null : null }));
      const systems = [];
      for (const s of r.perSystem) {
        const ms = monitors.filter((m) => m.systemId === s.systemId && fromFlag(m.enabled));
        const openHere = open.filter((x) => x.systemId === s.systemId);
        const inMaintenance = await maintenanceRunning(db, contractId, s.systemId, now);
        // An open outage is the truth about the system, whatever a monitor's latest result says.
        const state = openHere.length || ms.some((m) => m.state === 'down') ? 'down' : ms.length && ms.every((m) => m.state === 'up') ? 'up' : 'unknown';
        const since = openHere.length ? Math.min(...openHere.map((x) => x.startedAt)) : null;
        systems.push({ systemId: s.systemId, name: s.name, state: inMaintenance && state !== 'up' ? 'maintenance' : state, since, daily: s.figures });
      }
      return {
        contract: c, timeZone: calendar.timeZone, now, today, systems,
        outages: outages.map((o) => ({ id: o.id, systemId: o.systemId, systemName: names.get(o.systemId) ?? '', startedAt: o.startedAt, endedAt: o.endedAt, endedBy: o.endedBy as OutageEnding | null })),
        incidentsShown: setting,
        incidents: incidentsShown,
        maintenance,
        recentEmergency,
        daily: r.contract,
      };
    },
  };
  return service;
}
export type MonitoringService = ReturnType<typeof createMonitoringService>;

