/** Monitors, their run-length check history and outages. */
import { sql } from 'kysely';
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type MonitorRow = Row<'monitors'>;
export type RunRow = Row<'monitorRuns'>;
export type OutageRow = Row<'outages'>;

export const MONITOR_COLUMNS = [
  'id', 'contractId', 'clientId', 'systemId', 'name', 'kind', 'url', 'host', 'port', 'expectedStatus', 'keyword', 'keywordMode',
  'intervalMs', 'timeoutMs', 'retries', 'confirmAfter', 'recoverAfter', 'enabled', 'state', 'failStreak', 'okStreak', 'firstFailAt',
  'recoveringSince', 'lastCheckAt', 'lastResult', 'lastLatencyMs', 'lastError', 'currentRunId', 'openOutageId', 'createdBy',
  'createdAt', 'updatedAt', 'deletedAt',
] as const;
const OUTAGE_COLUMNS = [
  'id', 'monitorId', 'contractId', 'clientId', 'systemId', 'startedAt', 'confirmedAt', 'endedAt', 'muted', 'incidentId', 'createdAt', 'updatedAt',
  'endedBy', 'endReason',
] as const;

/** A deleted monitor is gone from the desk unless asked for (its history still counts). */
export interface MonitorLookup {
  withDeleted?: boolean;
  /** FOR UPDATE on PostgreSQL: a stop and a check result of one monitor take turns. */
  lock?: boolean;
}

export async function insertMonitor(ex: Executor, row: NewRow<'monitors'>): Promise<void> {
  await ex.insertInto('monitors').values(row).execute();
}

export async function findMonitor(ex: Executor, id: string, scope: ClientScope, o: MonitorLookup = {}): Promise<MonitorRow | undefined> {
  let q = ex.selectFrom('monitors').select(MONITOR_COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  if (!o.withDeleted) q = q.where('deletedAt', 'is', null);
  if (o.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function monitorsByIds(ex: Executor, ids: string[], o: MonitorLookup = {}): Promise<MonitorRow[]> {
  if (ids.length === 0) return [];
  let q = ex.selectFrom('monitors').select(MONITOR_COLUMNS).where('id', 'in', ids);
  if (!o.withDeleted) q = q.where('deletedAt', 'is', null);
  if (o.lock) q = q.orderBy('id').forUpdate();
  return q.execute();
}

export async function listMonitors(ex: Executor, f: { scope: ClientScope; contractId?: string; systemId?: string; limit?: number; offset?: number; withDeleted?: boolean }): Promise<MonitorRow[]> {
  let q = ex.selectFrom('monitors').select(MONITOR_COLUMNS);
  q = scopeToClient(q, 'clientId', f.scope);
  if (!f.withDeleted) q = q.where('deletedAt', 'is', null);
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.systemId) q = q.where('systemId', '=', f.systemId);
  q = q.orderBy('createdAt').orderBy('id');
  if (f.limit !== undefined) q = q.limit(f.limit).offset(f.offset ?? 0);
  return q.execute();
}

export async function updateMonitor(ex: Executor, id: string, patch: RowUpdate<'monitors'>): Promise<void> {
  await ex.updateTable('monitors').set(patch).where('id', '=', id).execute();
}

export async function insertRun(ex: Executor, row: NewRow<'monitorRuns'>): Promise<void> {
  await ex.insertInto('monitorRuns').values(row).execute();
}

export async function extendRun(ex: Executor, id: string, at: number, latencyMs: number): Promise<void> {
  await ex
    .updateTable('monitorRuns')
    .set((eb) => ({
      lastAt: at,
      checks: eb('checks', '+', 1),
      latencySumMs: eb('latencySumMs', '+', latencyMs),
      latencyMaxMs: sql<number>`case when latency_max_ms < ${latencyMs} then ${latencyMs} else latency_max_ms end`,
    }))
    .where('id', '=', id)
    .execute();
}

/** Runs of these monitors that overlap [from, to), by start. */
export async function runsBetween(ex: Executor, monitorIds: string[], from: number, to: number): Promise<RunRow[]> {
  if (monitorIds.length === 0) return [];
  return ex
    .selectFrom('monitorRuns')
    .select(['id', 'monitorId', 'status', 'startedAt', 'lastAt', 'checks', 'intervalMs', 'latencySumMs', 'latencyMaxMs'])
    .where('monitorId', 'in', monitorIds)
    // A run covers up to 1.5 intervals past its last result.
    .where(sql<number>`last_at + interval_ms * 2`, '>', from)
    .where('startedAt', '<', to)
    .orderBy('monitorId')
    .orderBy('startedAt')
    .execute();
}

export async function insertOutage(ex: Executor, row: NewRow<'outages'>): Promise<void> {
  await ex.insertInto('outages').values(row).execute();
}

export async function findOutage(ex: Executor, id: string, scope: ClientScope, lock = false): Promise<OutageRow | undefined> {
  let q = ex.selectFrom('outages').select(OUTAGE_COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function updateOutage(ex: Executor, id: string, patch: RowUpdate<'outages'>): Promise<void> {
  await ex.updateTable('outages').set(patch).where('id', '=', id).execute();
}

export async function listOutages(ex: Executor, f: { scope: ClientScope; contractId?: string; monitorId?: string; systemIds?: string[]; from?: number; to?: number; openOnly?: boolean; limit?: number }): Promise<OutageRow[]> {
  let q = ex.selectFrom('outages').select(OUTAGE_COLUMNS);
  q = scopeToClient(q, 'clientId', f.scope);
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.monitorId) q = q.where('monitorId', '=', f.monitorId);
  if (f.systemIds) {
    if (f.systemIds.length === 0) return [];
    q = q.where('systemId', 'in', f.systemIds);
  }
  if (f.from !== undefined) q = q.where((eb) => eb.or([eb('endedAt', 'is', null), eb('endedAt', '>', f.from!)]));
  if (f.to !== undefined) q = q.where('startedAt', '<', f.to);
  if (f.openOnly) q = q.where('endedAt', 'is', null);
  q = q.orderBy('startedAt', 'desc').orderBy('id');
  if (f.limit !== undefined) q = q.limit(f.limit);
  return q.execute();
}

/** An open incident already linked to an earlier outage of this monitor (flapping: link, do not open another). */
export async function openIncidentOfMonitor(ex: Executor, monitorId: string, openStatuses: readonly string[]): Promise<string | undefined> {
  const r = await ex
    .selectFrom('outages')
    .innerJoin('incidents', 'incidents.id', 'outages.incidentId')
    .select('incidents.id')
    .where('outages.monitorId', '=', monitorId)
    .where('incidents.status', 'in', [...openStatuses])
    .orderBy('incidents.createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.id;
}

export async function contractCalendar(ex: Executor, contractId: string, scope: ClientScope) {
  let q = ex
    .selectFrom('contracts')
    .select(['contracts.id', 'contracts.clientId', 'contracts.name', 'contracts.calendarId'])
    .where('contracts.id', '=', contractId);
  q = scopeToClient(q, 'contracts.clientId', scope);
  return q.executeTakeFirst();
}

export async function contractSystems(ex: Executor, contractId: string): Promise<Array<{ id: string; name: string }>> {
  return ex
    .selectFrom('contractSystems')
    .innerJoin('systems', 'systems.id', 'contractSystems.systemId')
    .select(['systems.id', 'systems.name'])
    .where('contractSystems.contractId', '=', contractId)
    .orderBy('systems.name')
    .execute();
}

export async function incidentsByIds(ex: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return ex.selectFrom('incidents').select(['id', 'number', 'title', 'status', 'receivedAt', 'systemId']).where('id', 'in', ids).execute();
}

/** Incidents of a contract received since `since` or still open, newest first (the status page's recent incidents). */
export async function recentIncidents(ex: Executor, contractId: string, since: number, openStatuses: readonly string[], category: string | null, limit: number) {
  let q = ex
    .selectFrom('incidents')
    .select(['id', 'number', 'title', 'status', 'category', 'receivedAt', 'resolvedAt', 'systemId'])
    .where('contractId', '=', contractId)
    .where((eb) => eb.or([eb('receivedAt', '>=', since), eb('status', 'in', [...openStatuses])]));
  if (category !== null) q = q.where('category', '=', category);
  return q.orderBy('receivedAt', 'desc').orderBy('id').limit(limit).execute();
}

export async function statusPageSettings(ex: Executor, contractId: string) {
  return ex.selectFrom('statusPageSettings').select(['contractId', 'incidents', 'updatedAt']).where('contractId', '=', contractId).executeTakeFirst();
}

export async function upsertStatusPageSettings(ex: Executor, row: NewRow<'statusPageSettings'>): Promise<void> {
  await ex
    .insertInto('statusPageSettings')
    .values(row)
    .onConflict((oc) => oc.column('contractId').doUpdateSet({ incidents: row.incidents, updatedAt: row.updatedAt }))
    .execute();
}

/** A monitor's latest runs, newest first. */
export async function latestRuns(ex: Executor, monitorId: string, limit: number): Promise<RunRow[]> {
  return ex
    .selectFrom('monitorRuns')
    .select(['id', 'monitorId', 'status', 'startedAt', 'lastAt', 'checks', 'intervalMs', 'latencySumMs', 'latencyMaxMs'])
    .where('monitorId', '=', monitorId)
    .orderBy('startedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
