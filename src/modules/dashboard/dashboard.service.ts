/**
 * The live dashboard (issue 12): open incidents per SLA state and priority, the targets
 * that breach next, breaches this month against last, attainment over six months, systems
 * down now, maintenance in the next seven days and the notices still to send — for every
 * contract the actor may see (a contact: their own client's), or one of them. Read only;
 * the live parts come from the owning modules' services (so a contact sees exactly what
 * those show them), the monthly parts from one query counted as the report counts.
 */
import { monthlyFigures, monthsUpTo } from '../../core/dashboard/figures.ts';
import { DASHBOARD_STATES, type DashboardState } from '../../contract/dashboard.ts';
import { monthLabel, monthTicks } from '../../contract/reports.ts';
import { PRIORITIES, type Priority, type TargetKind } from '../../contract/vocabulary.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { t as translate, type Locale } from '../../i18n/index.ts';
import { CHART_COLORS, barChart, lineChart, stackedBarChart } from '../../render/charts.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import type { CalendarService } from '../calendars/calendar.service.ts';
import type { ContractService } from '../contracts/contract.service.ts';
import type { Incident } from '../incidents/incident.model.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import type { MaintenanceService } from '../maintenance/maintenance.service.ts';
import type { MonitoringService } from '../monitoring/monitoring.service.ts';
import type { SystemService } from '../systems/system.service.ts';
import * as repo from './dashboard.repository.ts';

export interface DashboardCollaborators {
  incidents: Pick<IncidentService, 'list'>;
  contracts: Pick<ContractService, 'get'>;
  calendars: Pick<CalendarService, 'get' | 'list'>;
  systems: Pick<SystemService, 'list'>;
  monitoring: Pick<MonitoringService, 'outages'>;
  maintenance: Pick<MaintenanceService, 'list' | 'noticeFor'>;
}

const DAY = 86_400_000;
const MONTHS_SHOWN = 6;
/** Open incidents counted at most (pages of 200): a dashboard, not an export. */
const OPEN_LIMIT = 5000;
const DEFAULT_ZONE = 'Asia/Tokyo';

type StateCounts = Record<DashboardState, number>;
const zero = (): StateCounts => Object.fromEntries(DASHBOARD_STATES.map((s) => [s, 0])) as StateCounts;

/** An open incident's state now: the worst of its running targets (a stopped clock is "paused"). */
export function incidentState(i: Incident): DashboardState {
  if (!i.inScope) return 'outOfScope';
  const running = i.targets.filter((x) => x.metAt === null && x.clockStart !== null);
  if (running.some((x) => x.state === 'breached')) return 'breached';
  if (running.some((x) => x.state === 'atRisk')) return 'atRisk';
  if (running.length > 0 && running.every((x) => x.paused)) return 'paused';
  return 'ok';
}

export function createDashboardService(deps: ServiceDeps, c: DashboardCollaborators) {
  const { db, clock } = deps;

  async function openIncidents(actor: Actor, contractId: string | undefined): Promise<Incident[]> {
    const out: Incident[] = [];
    let beforeNumber: number | undefined;
    while (out.length < OPEN_LIMIT) {
      const page = await c.incidents.list(actor, { open: true, limit: 200, ...(contractId ? { contractId } : {}), ...(beforeNumber ? { beforeNumber } : {}) });
      out.push(...page);
      if (page.length < 200) break;
      beforeNumber = page.at(-1)!.number;
    }
    return out;
  }

  return {
    async get(actor: Actor, o: { contractId?: string; lang: Locale }) {
      authorize(actor, 'contract.dashboard');
      const now = clock();
      const lang = o.lang;
      const tr = (key: string, p: Record<string, string | number> = {}) => translate(lang, key, p);
      // One contract: the actor must see it (a contact's other client is contract.not_found).
      const contract = o.contractId ? await c.contracts.get(actor, o.contractId) : null;
      const zone = contract
        ? (await c.calendars.get(actor, contract.calendarId)).document.timeZone
        : (await c.calendars.list(actor))[0]?.document.timeZone ?? DEFAULT_ZONE;
      const months = monthsUpTo(zone, now, MONTHS_SHOWN);
      const contractFilter = contract ? { contractId: contract.id } : {};

      const [open, ended, outages, systems, windows, drafts] = await Promise.all([
        openIncidents(actor, contract?.id),
        repo.targetsEndingSince(db, { from: months[0]!.from, scope: clientScope(actor), ...contractFilter }),
        c.monitoring.outages(actor, { openOnly: true, limit: 200, ...contractFilter }),
        c.systems.list(actor, contract ? { clientId: contract.clientId } : {}),
        c.maintenance.list(actor, { from: now, to: now + 7 * DAY, limit: 200, ...contractFilter }),
        may(actor, 'maintenance.read_drafts') ? c.maintenance.list(actor, { from: now, to: now + 30 * DAY, limit: 500, ...contractFilter }) : Promise.resolve([]),
      ]);

      // ---- open incidents per state and priority; the targets that breach next ----
      const byState = zero();
      const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, zero()])) as Record<Priority, StateCounts>;
      const next: { incident: Incident; kind: TargetKind; state: 'ok' | 'atRisk'; dueAt: number }[] = [];
      for (const i of open) {
        const s = incidentState(i);
        byState[s] += 1;
        byPriority[i.priority][s] += 1;
        if (!i.inScope) continue;
        for (const x of i.targets) {
          if (x.metAt !== null || x.paused || x.dueAt === null || (x.state !== 'ok' && x.state !== 'atRisk')) continue;
          next.push({ incident: i, kind: x.kind, state: x.state, dueAt: x.dueAt });
        }
      }
      next.sort((a, b) => a.dueAt - b.dueAt || a.incident.number - b.incident.number);

      // ---- the months ----
      const figures = monthlyFigures(ended, months, now, PRIORITIES);
      const thisMonth = figures.at(-1)!;
      const lastMonth = figures.at(-2)!;
      const breachesOf = (m: typeof thisMonth) => ({
        month: m.key,
        total: m.metLate + m.breached,
        byPriority: Object.fromEntries(PRIORITIES.map((p) => [p, m.breachesByPriority[p] ?? 0])) as Record<Priority, number>,
      });

      // ---- notices that must go out: drafts of the next 30 days, by their latest announcement ----
      const noticesDue = await Promise.all(drafts.filter((w) => w.status === 'draft').map(async (w) => {
        const n = await c.maintenance.noticeFor(actor, w.contractId, w.startsAt);
        return { windowId: w.id, title: w.title, contractId: w.contractId, startsAt: w.startsAt, latestAnnouncementAt: n.latestAnnouncementAt, late: !n.inTimeNow };
      }));
      noticesDue.sort((a, b) => a.latestAnnouncementAt - b.latestAnnouncementAt);

      // The charts' own labels (capitalised in English, like the table beside them): the shared
      // sla.state / priority words are lower case for use inside sentences.
      const stateName = (s: DashboardState) => tr(`dashboard.state.${s}`);
      const STATE_COLORS: Record<DashboardState, string> = {
        breached: CHART_COLORS.breached, atRisk: CHART_COLORS.late, ok: CHART_COLORS.met, paused: CHART_COLORS.open, outOfScope: CHART_COLORS.unknown,
      };
      const priorityNames = PRIORITIES.map((p) => tr(`dashboard.priority.${p}`));
      const charts = {
        open: stackedBarChart({
          title: tr('dashboard.chart.open'), categories: priorityNames, width: 520, height: 260,
          series: DASHBOARD_STATES.map((s) => ({ name: stateName(s), data: PRIORITIES.map((p) => byPriority[p][s]), color: STATE_COLORS[s] })),
        }),
        breaches: barChart({
          title: tr('dashboard.chart.breaches'), categories: priorityNames, width: 520, height: 260,
          series: [
            { name: tr('dashboard.chart.lastMonth', { month: monthLabel(lastMonth.key, lang) }), data: PRIORITIES.map((p) => lastMonth.breachesByPriority[p] ?? 0), color: CHART_COLORS.open },
            { name: tr('dashboard.chart.thisMonth', { month: monthLabel(thisMonth.key, lang) }), data: PRIORITIES.map((p) => thisMonth.breachesByPriority[p] ?? 0), color: CHART_COLORS.breached },
          ],
        }),
        trend: lineChart({
          title: tr('dashboard.chart.trend'), categories: monthTicks(figures.map((f) => f.key), lang), unit: '%', yMin: 0, yMax: 100, width: 520, height: 260,
          series: [{ name: tr('dashboard.chart.rate'), data: figures.map((f) => (f.rate === null ? null : Math.round(f.rate * 1000) / 10)), color: CHART_COLORS.primary }],
        }),
      };

      const systemName = new Map(systems.map((s) => [s.id, s.name]));
      return {
        asOf: now,
        timeZone: zone,
        contractId: contract?.id ?? null,
        open: { total: open.length, byState, byPriority },
        atRisk: next.slice(0, 10).map((x) => ({
          incidentId: x.incident.id, number: x.incident.number, title: x.incident.title, contractId: x.incident.contractId,
          priority: x.incident.priority, kind: x.kind, state: x.state, dueAt: x.dueAt, msLeft: x.dueAt - now,
        })),
        breaches: { thisMonth: breachesOf(thisMonth), lastMonth: breachesOf(lastMonth) },
        trend: figures.map((f) => ({ month: f.key, met: f.met, metLate: f.metLate, breached: f.breached, rate: f.rate })),
        systemsDown: outages.map((x) => ({
          outageId: x.id, systemId: x.systemId, systemName: systemName.get(x.systemId) ?? '', contractId: x.contractId, startedAt: x.startedAt, incidentId: x.incidentId,
        })),
        maintenance: windows
          .filter((w) => w.status !== 'cancelled' && w.endsAt > now)
          .sort((a, b) => a.startsAt - b.startsAt)
          .map((w) => ({ id: w.id, title: w.title, contractId: w.contractId, kind: w.kind, status: w.status, startsAt: w.startsAt, endsAt: w.endsAt })),
        noticesDue,
        charts,
      };
    },
  };
}
export type DashboardService = ReturnType<typeof createDashboardService>;
export type DashboardData = Awaited<ReturnType<DashboardService['get']>>;
