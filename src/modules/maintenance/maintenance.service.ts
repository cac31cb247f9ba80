/**
 * Planned maintenance (SPEC §4). Windows per contract (optionally one system):
 * one-off planned, emergency (an urgent bug fix: exempt from the notice period
 * but only with a recorded reason), and the stored occurrences of recurring
 * series (the backup window). Announcing checks the notice rule of the pure core
 * on the contract's calendar and notice days, e-mails the designated contacts and
 * records who was notified when; reschedule and cancel notify again; a reminder
 * goes out the day before. Every change, its audit row, its notices and its jobs
 * are one transaction. Contacts read their own client's windows, once announced
 * (maintenance.policy.ts); staff write.
 *
 * This file is the slice's one service, composed of its parts:
 * - maintenance.windows.ts      commands on one window (+ `createWindowIn` for other modules' units)
 * - maintenance.series.ts       recurring windows and their materialization
 * - maintenance.publication.ts  settings, the token URL of the ICS feed and status page
 * - maintenance.queries.ts      reads, and what other modules ask of announced maintenance
 * - maintenance.rules.ts / maintenance.model.ts   what the parts share
 */
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { createPublication } from './maintenance.publication.ts';
import { createMaintenanceQueries } from './maintenance.queries.ts';
import { createSeriesCommands } from './maintenance.series.ts';
import { createWindowCommands } from './maintenance.windows.ts';

export {
  describeSchedule, HORIZON_MS, MATERIALIZE_JOB, REMINDER_JOB,
  type ActualInput, type AnnounceInput, type CancelInput, type Notice, type Series, type SeriesInput, type Settings,
  type SettingsInput, type Window, type WindowDetail, type WindowInput, type WindowPatch,
} from './maintenance.model.ts';
export { contractByPublicToken } from './maintenance.publication.ts';
export { maintenanceForAvailability, maintenanceForStatusPage, maintenanceRunning, type WindowFilter } from './maintenance.queries.ts';
export { createWindowIn } from './maintenance.windows.ts';

export function createMaintenanceService(deps: ServiceDeps) {
  // One unit of work for all parts (the composition root passes one; else the (db, clock) pair's own).
  const d: ServiceDeps = { ...deps, uow: deps.uow ?? unitOfWork(deps.db, deps.clock) };
  return {
    ...createMaintenanceQueries(d),
    ...createWindowCommands(d),
    ...createSeriesCommands(d),
    ...createPublication(d),
  };
}
export type MaintenanceService = ReturnType<typeof createMaintenanceService>;
