/** Queries on incidents, their targets, pauses and timeline. Contacts are scoped by `scope` (their client id). */
import { sql } from 'kysely';
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import { insertRows, type Upsert } from '../../db/insert-rows.ts';
import { isPostgres } from '../../db/dialect.ts';
import { executeShaped } from '../../db/shaped-query.ts';
import type { IncidentTargetCopy, NewRow, Row, RowUpdate } from '../../db/schema.ts';
import { OPEN_STATUSES } from '../../contract/vocabulary.ts';

export type IncidentRow = Row<'incidents'>;
/** A target as the incidents module builds it: without the incident facts triggers copy onto it (schema.ts). */
export type TargetRow = Omit<Row<'incidentTargets'>, IncidentTargetCopy>;
export type PauseRow = Row<'incidentPauses'>;
export type EventRow = Row<'incidentEvents'>;

/** The columns an incident is read with (also the queue's pages: incident-list.repository.ts selects them). */
export const COLUMNS = [
  'id', 'number', 'contractId', 'clientId', 'systemId', 'title', 'description', 'channel', 'category', 'priority',
  'suggestedPriority', 'status', 'inScope', 'outOfScopeReason', 'billable', 'assigneeId', 'reporterContactId',
  'reporterName', 'reporterEmail', 'notViaDesignatedContact', 'slaPolicyId', 'slaPolicyVersion', 'calendarId',
  'receivedAt', 'recognizedAt', 'startedAt', 'proposedAt', 'resolvedAt', 'closedAt', 'resolutionCause',
  'resolutionFix', 'resolutionCourse', 'nextTimerAt', 'createdBy', 'createdAt', 'updatedAt',
] as const;
const TARGET_COLUMNS = [
  'id', 'incidentId', 'kind', 'anchor', 'target', 'businessHours', 'pausable', 'clockStart', 'dueAt', 'atRiskAt',
  'metAt', 'state', 'atRiskFiredAt', 'breachedFiredAt', 'updatedAt',
] as const;
const PAUSE_COLUMNS = ['id', 'incidentId', 'startedAt', 'endedAt', 'startedBy', 'endedBy', 'reason'] as const;
const EVENT_COLUMNS = ['id', 'incidentId', 'at', 'kind', 'visibility', 'authorId', 'authorName', 'body', 'data'] as const;

/**
 * The desk-wide sequential number, taken inside the creating transaction. PostgreSQL
 * takes it from a sequence, which never waits (a counter row updated here would hold
 * its lock until commit and serialise every create of the desk); a create that rolls
 * back leaves a gap. SQLite has one writer at a time and keeps the gapless counter row.
 */
export async function nextIncidentNumber(ex: Executor): Promise<number> {
  if (isPostgres(ex)) {
    const r = await sql<{ n: number }>`select nextval('incident_number_seq') as n`.execute(ex);
    return Number(r.rows[0]!.n);
  }
  const build = () => ex
    .insertInto('counters')
    .values({ name: 'incident', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value');
  const r = await executeShaped(ex, 'counter-next|incident', [], build);
  return Number(r.rows[0]!.value);
}

export async function insertIncident(ex: Executor, row: NewRow<'incidents'>): Promise<void> {
  await insertRows(ex, 'incidents', [row], undefined, { deferrable: true });
}

/** `lock`: hold the row until commit (PostgreSQL), so concurrent changes of one incident apply one after the other. */
export async function findIncident(ex: Executor, id: string, scope: ClientScope, lock = false): Promise<IncidentRow | undefined> {
  // Every incident command and detail read starts here: one compiled statement per (scoped, locked).
  const build = () => {
    let q = ex.selectFrom('incidents').select(COLUMNS).where('id', '=', id);
    q = scopeToClient(q, 'clientId', scope);
    return lock ? q.forUpdate() : q;
  };
  const values = scope === null ? [id] : [id, scope];
  return (await executeShaped(ex, `incident-by-id|${scope === null ? 'all' : 'client'}|${lock ? 'lock' : ''}`, values, build)).rows[0];
}

export async function findIncidentByNumber(ex: Executor, number: number, scope: ClientScope): Promise<IncidentRow | undefined> {
  let q = ex.selectFrom('incidents').select(COLUMNS).where('number', '=', number);
  q = scopeToClient(q, 'clientId', scope);
  return q.executeTakeFirst();
}

/** Incidents by id, in no particular order (unscoped: the caller picked the ids). */
export async function findIncidents(ex: Executor, ids: readonly string[]): Promise<IncidentRow[]> {
  if (ids.length === 0) return [];
  const build = () => ex.selectFrom('incidents').select(COLUMNS).where('id', 'in', ids);
  return (await executeShaped(ex, `incidents-by-id|${ids.length}`, ids, build)).rows;
}

export interface IncidentFilter {
  scope: ClientScope;
  status?: readonly string[];
  priority?: readonly string[];
  contractId?: string;
  clientId?: string;
  assigneeId?: string;
  /** Keyset pagination: numbers below this one. */
  beforeNumber?: number;
  /** 'deadline': only incidents with a pending SLA timer, soonest first (uses the next_timer_at index). */
  sort?: 'newest' | 'deadline';
  limit: number;
}

/**
 * The queue's query, a reused compiled statement per combination of filters
 * (shaped-query.ts). One list of conditions makes both the shape and the query, so
 * the two cannot drift apart.
 */
export async function listIncidents(ex: Executor, f: IncidentFilter): Promise<IncidentRow[]> {
  return (await listPage(ex, f, COLUMNS, 'rows')) as IncidentRow[];
}

/** The same page as listIncidents, only the keys: the stored list items (incident.list-items.ts) make the rest. */
export async function listIncidentKeys(ex: Executor, f: IncidentFilter): Promise<Pick<IncidentRow, 'id' | 'number'>[]> {
  return listPage(ex, f, ['id', 'number'], 'keys');
}

async function listPage<C extends (typeof COLUMNS)[number]>(ex: Executor, f: IncidentFilter, columns: readonly C[], tag: string): Promise<Pick<IncidentRow, C>[]> {
  type Condition = { name: string; column: 'clientId' | 'status' | 'priority' | 'contractId' | 'assigneeId' | 'number'; op: '=' | 'in' | '<'; value: unknown };
  const conditions: Condition[] = [];
  if (f.status?.length) conditions.push({ name: `status${f.status.length}`, column: 'status', op: 'in', value: f.status });
  if (f.priority?.length) conditions.push({ name: `priority${f.priority.length}`, column: 'priority', op: 'in', value: f.priority });
  if (f.contractId) conditions.push({ name: 'contract', column: 'contractId', op: '=', value: f.contractId });
  if (f.clientId) conditions.push({ name: 'client', column: 'clientId', op: '=', value: f.clientId });
  if (f.assigneeId) conditions.push({ name: 'assignee', column: 'assigneeId', op: '=', value: f.assigneeId });
  const byDeadline = f.sort === 'deadline';
  if (!byDeadline && f.beforeNumber !== undefined) conditions.push({ name: 'before', column: 'number', op: '<', value: f.beforeNumber });

  const build = () => {
    // The client scope comes first, so its value leads the shape's values below.
    let q = scopeToClient(ex.selectFrom('incidents').select(columns), 'clientId', f.scope);
    // The value's type follows the column and operator chosen above; Kysely cannot see that through the union.
    for (const c of conditions) q = q.where(c.column, c.op, c.value as never);
    return byDeadline
      ? q.where('nextTimerAt', 'is not', null).orderBy('nextTimerAt').orderBy('number').limit(f.limit)
      : q.orderBy('number', 'desc').limit(f.limit);
  };
  const shape = ['incident-list', tag, ...(f.scope !== null ? ['scope'] : []), ...conditions.map((c) => c.name), byDeadline ? 'deadline' : 'newest'].join('|');
  const values = [...(f.scope !== null ? [f.scope] : []), ...conditions.flatMap((c) => (Array.isArray(c.value) ? c.value : [c.value])), f.limit];
  // Kysely cannot carry a generic column list through select(); the rows have exactly `columns`.
  return (await executeShaped(ex, shape, values, build)).rows as unknown as Pick<IncidentRow, C>[];
}

export async function updateIncident(ex: Executor, id: string, patch: RowUpdate<'incidents'>): Promise<void> {
  await ex.updateTable('incidents').set(patch).where('id', '=', id).execute();
}

/** Rows of several incidents (targetsOf, pausesOf) grouped by incident, in their order. */
export function byIncident<T extends { incidentId: string }>(xs: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const list = m.get(x.incidentId);
    if (list) list.push(x);
    else m.set(x.incidentId, [x]);
  }
  return m;
}

export async function targetsOf(ex: Executor, incidentIds: readonly string[]): Promise<TargetRow[]> {
  if (incidentIds.length === 0) return [];
  const build = () => ex.selectFrom('incidentTargets').select(TARGET_COLUMNS).where('incidentId', 'in', incidentIds);
  return (await executeShaped(ex, `targets-of|${incidentIds.length}`, incidentIds, build)).rows;
}

export async function findTarget(ex: Executor, incidentId: string, kind: string): Promise<TargetRow | undefined> {
  return ex
    .selectFrom('incidentTargets')
    .select(TARGET_COLUMNS)
    .where('incidentId', '=', incidentId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

const TARGET_UPSERT: Upsert = {
  conflict: ['incidentId', 'kind'],
  fromRow: ['anchor', 'target', 'businessHours', 'pausable', 'clockStart', 'dueAt', 'atRiskAt', 'metAt', 'state', 'atRiskFiredAt', 'breachedFiredAt', 'updatedAt'],
};

export async function upsertTargets(ex: Executor, rows: readonly TargetRow[]): Promise<void> {
  await insertRows(ex, 'incidentTargets', rows, TARGET_UPSERT, { deferrable: true });
}

export async function deleteTargetsExcept(ex: Executor, incidentId: string, keep: readonly string[]): Promise<void> {
  let q = ex.deleteFrom('incidentTargets').where('incidentId', '=', incidentId);
  if (keep.length) q = q.where('kind', 'not in', keep);
  await q.execute();
}

/** Marks an SLA event as fired; false when another runner (or an earlier run) already did. */
export async function markFired(ex: Executor, targetId: string, event: 'atRisk' | 'breached', now: number): Promise<boolean> {
  const col = event === 'atRisk' ? 'atRiskFiredAt' : 'breachedFiredAt';
  const r = await ex
    .updateTable('incidentTargets')
    .set({ [col]: now, state: event, updatedAt: now })
    .where('id', '=', targetId)
    .where(col, 'is', null)
    .where('metAt', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function pausesOf(ex: Executor, incidentIds: readonly string[]): Promise<PauseRow[]> {
  if (incidentIds.length === 0) return [];
  const build = () => ex.selectFrom('incidentPauses').select(PAUSE_COLUMNS).where('incidentId', 'in', incidentIds).orderBy('startedAt').orderBy('id');
  return (await executeShaped(ex, `pauses-of|${incidentIds.length}`, incidentIds, build)).rows;
}

export async function insertPause(ex: Executor, row: PauseRow): Promise<void> {
  await ex.insertInto('incidentPauses').values(row).execute();
}

export async function closeOpenPause(ex: Executor, incidentId: string, at: number, by: string): Promise<boolean> {
  const r = await ex
    .updateTable('incidentPauses')
    .set({ endedAt: at, endedBy: by })
    .where('incidentId', '=', incidentId)
    .where('endedAt', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertEvent(ex: Executor, row: EventRow): Promise<void> {
  await insertRows(ex, 'incidentEvents', [row], undefined, { deferrable: true });
}

/** A timeline row with who its author is today (null: not a user — the system, the mail intake). */
export type EventWithAuthor = EventRow & { userName: string | null; userRole: string | null };

export async function eventsOf(ex: Executor, incidentId: string, includeInternal: boolean): Promise<EventWithAuthor[]> {
  // Read for every incident detail (and every command's answer): compiled once per visibility.
  const build = () => {
    let q = ex.selectFrom('incidentEvents')
      .leftJoin('users', 'users.id', 'incidentEvents.authorId')
      .select(EVENT_COLUMNS.map((c) => `incidentEvents.${c}` as const))
      .select(['users.name as userName', 'users.role as userRole'])
      .where('incidentEvents.incidentId', '=', incidentId);
    if (!includeInternal) q = q.where('incidentEvents.visibility', '=', 'public');
    return q.orderBy('incidentEvents.at').orderBy('incidentEvents.id');
  };
  return (await executeShaped(ex, `incident-events|${includeInternal ? 'all' : 'public'}`, [incidentId], build)).rows;
}

/** The e-mail of a user (assignee / reporter), from the auth module's table. */
export async function userById(ex: Executor, id: string): Promise<{ id: string; email: string; name: string; role: string } | undefined> {
  return ex.selectFrom('users').select(['id', 'email', 'name', 'role']).where('id', '=', id).executeTakeFirst();
}

/** Open incidents whose clocks run on a calendar, oldest first (a calendar's new version re-derives them). */
export async function openIncidentIdsOnCalendar(ex: Executor, calendarId: string): Promise<string[]> {
  const rows = await ex.selectFrom('incidents').select('id')
    .where('calendarId', '=', calendarId).where('status', 'in', [...OPEN_STATUSES]).orderBy('number').execute();
  return rows.map((r) => r.id);
}

/**
 * `n` consecutive incident numbers for a bulk filing, in one statement: a range of the
 * PostgreSQL sequence (numbers taken concurrently may interleave, as single creates' do),
 * or the SQLite counter moved by n at once (one writer: the range is gapless and its own).
 */
export async function reserveIncidentNumbers(ex: Executor, n: number): Promise<number[]> {
  if (n === 0) return [];
  if (isPostgres(ex)) {
    const r = await sql<{ n: string | number }>`select nextval('incident_number_seq') as n from generate_series(1, ${n})`.execute(ex);
    return r.rows.map((x) => Number(x.n)).sort((a, b) => a - b);
  }
  const r = await ex
    .insertInto('counters')
    .values({ name: 'incident', value: n })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', n) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  const last = Number(r.value);
  return Array.from({ length: n }, (_, i) => last - n + 1 + i);
}
