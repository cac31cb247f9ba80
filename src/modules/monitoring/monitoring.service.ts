/**
 * Health checks per system of a contract (SPEC §5). A monitor's live state is
 * kept on its row; results are stored as runs (one row per stretch of equal
 * results); a confirmed outage is a row dated from its first failure, and opens
 * exactly one urgent incident (category outage, channel monitoring, 24/7 clock)
 * through the incident service, from the job table — unless a maintenance window
 * is running, in which case the outage is recorded and the alert muted. While
 * that incident is open, a new outage of the same monitor (flapping) is linked
 * to it instead of opening another. Recovery is recorded on the incident.
 *
 * This file is the slice's one service, composed of its parts:
 * - monitoring.commands.ts  the desk's changes (monitors, closing an outage, status page settings)
 * - monitoring.outages.ts   check results → runs, outages, the outage incident and its recovery note
 * - monitoring.queries.ts   reads: monitors, outages, availability, the public status page's data
 * - monitoring.model.ts     what the parts share (job names, types, configuration checks)
 */
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import { createMonitorCommands } from './monitoring.commands.ts';
import { createOutageHandling } from './monitoring.outages.ts';
import { createMonitoringQueries } from './monitoring.queries.ts';
import { createMonitorRuns } from './monitoring.runs.ts';

export {
  CHECK_JOB, checkKey, DEFAULT_STATUS_PAGE_INCIDENTS, INCIDENT_JOB, OUTAGE_ENDINGS, RECOVERY_JOB, STALE_FACTOR,
  STATUS_PAGE_INCIDENTS,
  type CheckedItem, type Monitor, type MonitorInput, type MonitorPatch, type Outage, type OutageEnding, type StatusPageIncidents,
  type SystemAvailability,
} from './monitoring.model.ts';
export { monitoredFromRuns } from './monitoring.queries.ts';

/** The incident service is handed in by the composition root (src/main.ts): a service never builds another. */
export function createMonitoringService(deps: ServiceDeps, { incidents }: { incidents: IncidentService }) {
  // One unit of work for all parts (the composition root passes one; else the (db, clock) pair's own).
  const d: ServiceDeps = { ...deps, uow: deps.uow ?? unitOfWork(deps.db, deps.clock) };
  return {
    ...createMonitoringQueries(d),
    ...createMonitorRuns(d),
    ...createMonitorCommands(d),
    ...createOutageHandling(d, { incidents }),
  };
}
export type MonitoringService = ReturnType<typeof createMonitoringService>;
