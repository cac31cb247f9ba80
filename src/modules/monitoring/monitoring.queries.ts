/**
 * Reading monitoring: monitors as the actor may see them (a contact: name and state,
 * not the target), outages, the status page settings, availability of a contract
 * month with the intervals behind each figure, and what the public status page shows.
 * Nothing here writes.
 */
import {
  dailyAvailability, monthlyAvailability, normalize, CHECK_UNKNOWN, type AvailabilityResult, type Interval,
} from '../../core/availability/index.ts';
import { OPEN_STATUSES } from '../../contract/vocabulary.ts';
import { localDayNumberOf } from '../../core/time/zone.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, type ServiceDeps } from '../../db/tx.ts';
import { notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractByPublicToken, maintenanceForAvailability, maintenanceForStatusPage, maintenanceRunning } from '../maintenance/maintenance.service.ts';
import {
  DEFAULT_STATUS_PAGE_INCIDENTS, RECENT_MS, STALE_FACTOR, type Monitor, type Outage, type OutageEnding, type StatusPageIncidents,
} from './monitoring.model.ts';
import * as repo from './monitoring.repository.ts';
import * as rollups from './monitoring.rollup.repository.ts';

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

export function createMonitoringQueries(deps: ServiceDeps) {
  const { db, clock } = deps;

  async function load(ex: Executor, actor: Actor, id: string): Promise<Monitor> {
    const m = await repo.findMonitor(ex, id, clientScope(actor));
    if (!m) throw notFound('monitor');
    return m;
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
    // Past the retention window the runs live on as rolled-up intervals (monitoring.rollup.ts).
    const rolled = await rollups.intervalsBetween(ex, monitors.map((m) => m.id), from, to);
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
        monitored: normalize([
          ...rolled.filter((r) => r.status !== CHECK_UNKNOWN && monitorIds.has(r.monitorId)).map((r) => [r.startedAt, r.endedAt] as Interval),
          ...monitoredFromRuns(runs.filter((r) => monitorIds.has(r.monitorId))),
        ]),
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

  /**
   * What the public status page shows: state per system (never "up" while an outage of it
   * is open), the outages of the last 30 days with how each ended, the incidents of the last
   * 30 days the contract lists (status page setting), running and upcoming maintenance with
   * titles (emergency included) and the emergency work of the last 30 days, 90 daily bars.
   */
  async function statusData(contractId: string, days = 90) {
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
  }

  return {
    async get(actor: Actor, id: string): Promise<Monitor> {
      authorize(actor, 'monitor.read');
      return visibleTo(actor, await load(db, actor, id));
    },

    async list(actor: Actor, f: { contractId?: string; systemId?: string; limit?: number; offset?: number } = {}): Promise<Monitor[]> {
      authorize(actor, 'monitor.list');
      const rows = await repo.listMonitors(db, { scope: clientScope(actor), ...f, limit: Math.min(f.limit ?? 200, 1000) });
      return rows.map((m) => visibleTo(actor, m));
    },

    /** Which incidents the contract's public status page lists (default: outage incidents). */
    async statusPageSettings(actor: Actor, contractId: string): Promise<{ contractId: string; incidents: StatusPageIncidents; updatedAt: number | null }> {
      authorize(actor, 'status_page.read_settings');
      const c = await repo.contractCalendar(db, contractId, clientScope(actor));
      if (!c) throw notFound('contract');
      const s = await repo.statusPageSettings(db, c.id);
      return { contractId: c.id, incidents: (s?.incidents ?? DEFAULT_STATUS_PAGE_INCIDENTS) as StatusPageIncidents, updatedAt: s?.updatedAt ?? null };
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
      return statusData(contractId);
    },

    statusData,
  };
}
