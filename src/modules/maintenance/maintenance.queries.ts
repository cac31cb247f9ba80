/**
 * Reading maintenance: windows and series as the actor may see them (a contact: their
 * own client's, once announced), the notice rule while scheduling, and what other
 * modules ask of announced maintenance (availability, the status page, whether a
 * window is running now). Nothing here writes.
 */
import type { z } from 'zod';
import type { WithInstants } from '../../contract/common.ts';
import type { MaintenanceQuery } from '../../contract/maintenance.ts';
import type { Interval, MaintenanceRecord } from '../../core/availability/index.ts';
import { latestAnnouncement } from '../../core/maintenance/index.ts';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { DAY, type Notice, type Series, type Window, type WindowDetail } from './maintenance.model.ts';
import * as repo from './maintenance.repository.ts';
import { detail, loadContract, loadWindow, noticeDays, noticesWithDelivery } from './maintenance.rules.ts';

/** GET /maintenance's query as the service takes it: instants as ms, includeCancelled a boolean. */
export type WindowFilter = Partial<WithInstants<Omit<z.infer<typeof MaintenanceQuery>, 'includeCancelled'>, 'from' | 'to'>> & {
  includeCancelled?: boolean;
};

/** For other modules (monitoring, reports): the announced maintenance of a contract over [from, to). */
export async function maintenanceForAvailability(
  ex: Executor, contractId: string, from: number, to: number, systemId?: string,
): Promise<{ planned: MaintenanceRecord[]; emergency: Interval[] }> {
  const rows = await repo.listWindows(ex, { scope: null, contractId, statuses: ['announced'] });
  const planned: MaintenanceRecord[] = [];
  const emergency: Interval[] = [];
  for (const w of rows) {
    if (systemId !== undefined && w.systemId !== null && w.systemId !== systemId) continue;
    const s = w.actualStart ?? w.startsAt;
    const e = w.actualEnd ?? w.endsAt;
    if (Math.max(e, w.endsAt) <= from || Math.min(s, w.startsAt) >= to) continue;
    // Emergency work was not planned: by default it does not reduce service time
    // (docs/design.md, "Planned = announced"); it counts as downtime.
    if (w.kind === 'emergency') emergency.push([s, e]);
    else {
      planned.push({
        announcedStart: w.startsAt,
        announcedEnd: w.endsAt,
        ...(w.actualStart !== null ? { actualStart: w.actualStart } : {}),
        ...(w.actualEnd !== null ? { actualEnd: w.actualEnd } : {}),
      });
    }
  }
  return { planned, emergency };
}

/** For the public status page: announced windows (planned, recurring and emergency) with their titles overlapping [from, to). */
export async function maintenanceForStatusPage(ex: Executor, contractId: string, from: number, to: number) {
  const rows = await repo.listWindows(ex, { scope: null, contractId, statuses: ['announced'], from: from - 7 * DAY, to });
  return rows
    .filter((w) => Math.max(w.endsAt, w.actualEnd ?? w.endsAt) > from)
    .map((w) => ({
      id: w.id, kind: w.kind, title: w.title, systemId: w.systemId,
      startsAt: w.actualStart ?? w.startsAt, endsAt: Math.max(w.endsAt, w.actualEnd ?? w.endsAt),
    }));
}

/** For monitoring: is an announced window of the contract (all systems or this one) running at `at`? */
export async function maintenanceRunning(ex: Executor, contractId: string, systemId: string, at: number): Promise<boolean> {
  const rows = await repo.listWindows(ex, { scope: null, contractId, statuses: ['announced'], from: at - 7 * DAY, to: at + 1 });
  return rows.some((w) => (w.systemId === null || w.systemId === systemId)
    && (w.actualStart ?? w.startsAt) <= at && at < Math.max(w.endsAt, w.actualEnd ?? (w.actualStart !== null ? Infinity : w.endsAt)));
}

export function createMaintenanceQueries(deps: ServiceDeps) {
  const { db, clock } = deps;

  return {
    /** What the notice rule says about maintenance starting at `startsAt` (shown while scheduling). */
    async noticeFor(actor: Actor, contractId: string, startsAt: number): Promise<{ latestAnnouncementAt: number; noticeBusinessDays: number; inTimeNow: boolean; timeZone: string }> {
      authorize(actor, 'maintenance.notice');
      const c = await loadContract(db, actor, contractId);
      const calendar = await loadWorkingCalendar(db, c.calendarId);
      const days = await noticeDays(db, c.id);
      const latest = latestAnnouncement(calendar, startsAt, days);
      return { latestAnnouncementAt: latest, noticeBusinessDays: days, inTimeNow: clock() <= latest, timeZone: calendar.timeZone };
    },

    async get(actor: Actor, id: string): Promise<WindowDetail> {
      authorize(actor, 'maintenance.read');
      return detail(db, await loadWindow(db, actor, id), actor);
    },

    async list(actor: Actor, f: WindowFilter): Promise<Window[]> {
      authorize(actor, 'maintenance.list');
      return repo.listWindows(db, {
        ...(may(actor, 'maintenance.read_drafts') ? {} : { announcedOnly: true }),
        scope: clientScope(actor),
        ...(f.contractId ? { contractId: f.contractId } : {}),
        ...(f.from !== undefined ? { from: f.from } : {}),
        ...(f.to !== undefined ? { to: f.to } : {}),
        ...(f.includeCancelled ? {} : { statuses: ['draft', 'announced'] }),
        limit: Math.min(Math.max(f.limit ?? 200, 1), 1000),
      });
    },

    async notices(actor: Actor, windowId: string): Promise<Notice[]> {
      authorize(actor, 'maintenance.read');
      return noticesWithDelivery(db, [(await loadWindow(db, actor, windowId)).id], actor);
    },

    async listSeries(actor: Actor, contractId?: string): Promise<Series[]> {
      authorize(actor, 'maintenance_series.list');
      return repo.listSeries(db, { scope: clientScope(actor), ...(contractId ? { contractId } : {}) });
    },

    async getSeries(actor: Actor, id: string): Promise<Series> {
      authorize(actor, 'maintenance_series.read');
      const s = await repo.findSeries(db, id, clientScope(actor));
      if (!s) throw notFound('maintenance_series');
      return s;
    },
  };
}
