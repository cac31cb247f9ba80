/**
 * Queries of the reports module: the month's incidents with targets and pauses, and the issued
 * reports. The settled split of a month (what the database only counts) is report.settled.ts.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, SqliteAdapter, type CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
import { REPORT_TARGET_KINDS, type ReportIncidentInput, type ReportTargetKind } from '../../core/report/compute.ts';
import type { SlaTarget } from '../../core/sla/index.ts';
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { DB, NewRow, Row } from '../../db/schema.ts';
import { fromFlag } from '../../db/tx.ts';

export type ReportRow = Row<'reports'>;
export type ReportFileRow = Row<'reportFiles'>;
export type ReportSendRow = Row<'reportSends'>;

export interface MonthIncidentRow {
  id: string; number: number; title: string; priority: string; category: string; status: string; inScope: number; billable: number;
  outOfScopeReason: string | null; receivedAt: number; recognizedAt: number | null; slaPolicyVersion: number; calendarId: string;
  resolutionCause: string | null;
}
/** Targets and pauses name their incident by its number: an integer per row, where the id was a 36-character string (200,000 of them in a big month). */
export interface MonthTargetRow { number: number; kind: string; target: string; clockStart: number | null; dueAt: number | null; metAt: number | null; pausable: number }
export interface MonthPauseRow { number: number; startedAt: number; endedAt: number | null }

/**
 * Incidents of a contract that can carry a figure of the month [from, to): received before
 * its end and not resolved before its start (a target ends at the latest when the incident
 * is resolved, so an incident resolved earlier has no figure here). Three queries whatever
 * the count — the naive alternative (one query per incident) is the bench's baseline.
 * Written as SQL with camelCase aliases and run without the plugins: a month may hold
 * 100,000 incidents and 200,000 targets, and the per-row renaming and table bookkeeping of
 * the plugins cost more than SQLite takes to read them. Only the columns the figures use are
 * read. Both reads below run these same statements.
 */
export function monthQueries(contractId: string, from: number, to: number, numbers?: { list: readonly number[]; sqlite: boolean }) {
  // Numbers name incidents uniquely and were chosen under the month's predicate: by them alone, so the plan
  // looks each up by its number instead of walking the contract's incidents. One parameter however many:
  // a JSON array on SQLite, an array on PostgreSQL.
  const listed = (column: RawBuilder<unknown>) => numbers!.sqlite
    ? sql`${column} in (select value from json_each(${JSON.stringify(numbers!.list)}))`
    : sql`${column} = any(${[...numbers!.list]}::bigint[])`;
  const inMonth = !numbers ? monthPredicate(contractId, from, to) : listed(sql`i.number`);
  return {
    incidents: sql<MonthIncidentRow>`select i.id, i.number, i.title, i.priority, i.category, i.status, i.in_scope as "inScope", i.billable,
        i.out_of_scope_reason as "outOfScopeReason", i.received_at as "receivedAt", i.recognized_at as "recognizedAt", i.sla_policy_version as "slaPolicyVersion",
        i.calendar_id as "calendarId", i.resolution_cause as "resolutionCause"
      from incidents i where ${inMonth} order by i.number`,
    // By number, a target is found by its copy of the number (migrations 202612070900, 202612071000), not through its incident's row.
    targets: !numbers
      ? sql<MonthTargetRow>`select i.number, t.kind, t.target, t.clock_start as "clockStart", t.due_at as "dueAt",
          t.met_at as "metAt", t.pausable
        from incidents i join incident_targets t on t.incident_id = i.id where ${inMonth}`
      : sql<MonthTargetRow>`select t.incident_number as "number", t.kind, t.target, t.clock_start as "clockStart", t.due_at as "dueAt",
          t.met_at as "metAt", t.pausable
        from incident_targets t where ${listed(sql`t.incident_number`)}`,
    pauses: sql<MonthPauseRow>`select i.number, p.started_at as "startedAt", p.ended_at as "endedAt"
      from incidents i join incident_pauses p on p.incident_id = i.id where ${inMonth} order by p.started_at`,
  };
}

/** The incidents that can carry a figure of the month (see monthQueries), as `i`. */
function monthPredicate(contractId: string, from: number, to: number) {
  return sql`i.contract_id = ${contractId} and i.received_at < ${to} and (i.resolved_at is null or i.resolved_at >= ${from})`;
}

/** The month's incidents with targets and pauses; with `numbers`, only those incidents (ascending). */
export async function monthIncidents(ex: Executor, contractId: string, from: number, to: number, numbers?: readonly number[]): Promise<{ incidents: MonthIncidentRow[]; targets: MonthTargetRow[]; pauses: MonthPauseRow[] }> {
  const raw = ex.withoutPlugins();
  const q = monthQueries(contractId, from, to, numbers && { list: numbers, sqlite: ex.getExecutor().adapter instanceof SqliteAdapter });
  const incidents = await q.incidents.execute(raw);
  const targets = await q.targets.execute(raw);
  const pauses = await q.pauses.execute(raw);
  return { incidents: incidents.rows, targets: targets.rows, pauses: pauses.rows };
}

/** Joins a month's rows into the pure core's input, whichever way they were read. */
class MonthInputs {
  readonly #list: ReportIncidentInput[] = [];
  readonly #byNumber = new Map<number, ReportIncidentInput>();
  // A month of 100,000 incidents has a handful of distinct target documents: parse each once.
  readonly #parsed = new Map<string, SlaTarget>();

  /** An incident as read, with empty `targets` and `pauses` for the rows that follow. */
  incident(x: ReportIncidentInput): void {
    this.#list.push(x);
    this.#byNumber.set(x.number, x);
  }

  target(number: number, kind: string, text: string, clockStart: number | null, dueAt: number | null, metAt: number | null, pausable: boolean): void {
    let target = this.#parsed.get(text);
    if (!target) this.#parsed.set(text, (target = JSON.parse(text) as SlaTarget));
    this.#byNumber.get(number)?.targets.push({ kind: kind as ReportTargetKind, target, clockStart, dueAt, metAt, pausable });
  }

  pause(number: number, startedAt: number, endedAt: number | null): void {
    this.#byNumber.get(number)?.pauses.push([startedAt, endedAt]);
  }

  done(): ReportIncidentInput[] {
    const order = (k: string) => REPORT_TARGET_KINDS.indexOf(k as ReportTargetKind);
    for (const x of this.#list) if (x.targets.length > 1) x.targets.sort((a, b) => order(a.kind) - order(b.kind));
    return this.#list;
  }
}

/** monthIncidents' rows → the pure core's input. */
export function toCoreIncidents(rows: { incidents: MonthIncidentRow[]; targets: MonthTargetRow[]; pauses: MonthPauseRow[] }): ReportIncidentInput[] {
  const m = new MonthInputs();
  for (const i of rows.incidents) {
    m.incident({
      id: i.id, number: i.number, title: i.title, priority: i.priority, category: i.category, status: i.status, inScope: fromFlag(i.inScope),
      billable: fromFlag(i.billable), outOfScopeReason: i.outOfScopeReason, receivedAt: i.receivedAt, recognizedAt: i.recognizedAt,
      policyVersion: i.slaPolicyVersion, calendarId: i.calendarId, resolutionCause: i.resolutionCause, targets: [], pauses: [],
    });
  }
  for (const t of rows.targets) m.target(t.number, t.kind, t.target, t.clockStart, t.dueAt, t.metAt, fromFlag(t.pausable));
  for (const p of rows.pauses) m.pause(p.number, p.startedAt, p.endedAt);
  return m.done();
}

/**
 * As toCoreIncidents(monthIncidents(…)), on SQLite's own handle: the same statements
 * (compiled by `db`), read as arrays in select order and made into one object per incident
 * and per target, where the Kysely path makes a row object first. A 100,000-incident month
 * reads 300,000 rows; this is a third less CPU than the row objects (docs/benchmarks.md,
 * "Monthly SLA report"). Call it inside `db.connection().execute`.
 */
export function monthIncidentInputsRaw(db: Kysely<DB>, handle: BetterSqlite3.Database, contractId: string, from: number, to: number, numbers?: readonly number[]): ReportIncidentInput[] {
  const q = monthQueries(contractId, from, to, numbers && { list: numbers, sqlite: true });
  const m = new MonthInputs();
  const rows = (query: { compile(ex: Kysely<DB>): CompiledQuery }) => {
    const c = query.compile(db.withoutPlugins());
    return handle.prepare(c.sql).raw(true).iterate(...c.parameters) as IterableIterator<unknown[]>;
  };
  for (const r of rows(q.incidents)) {
    m.incident({
      id: r[0] as string, number: r[1] as number, title: r[2] as string, priority: r[3] as string, category: r[4] as string, status: r[5] as string,
      inScope: r[6] === 1, billable: r[7] === 1, outOfScopeReason: r[8] as string | null, receivedAt: r[9] as number, recognizedAt: r[10] as number | null,
      policyVersion: r[11] as number, calendarId: r[12] as string, resolutionCause: r[13] as string | null, targets: [], pauses: [],
    });
  }
  for (const r of rows(q.targets)) m.target(r[0] as number, r[1] as string, r[2] as string, r[3] as number | null, r[4] as number | null, r[5] as number | null, r[6] === 1);
  for (const r of rows(q.pauses)) m.pause(r[0] as number, r[1] as number, r[2] as number | null);
  return m.done();
}

const REPORT_COLUMNS = [
  'id', 'number', 'contractId', 'clientId', 'month', 'revision', 'issuedAt', 'issuedBy', 'issuedByName', 'note',
  'acknowledgedAt', 'acknowledgedBy', 'acknowledgedByName',
] as const;
export type ReportMeta = Omit<ReportRow, 'figures'>;

export async function listReports(ex: Executor, f: { scope: ClientScope; contractId?: string; month?: string; limit: number }): Promise<ReportMeta[]> {
  let q = scopeToClient(ex.selectFrom('reports').select(REPORT_COLUMNS), 'clientId', f.scope);
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.month) q = q.where('month', '=', f.month);
  return q.orderBy('month', 'desc').orderBy('contractId').orderBy('revision', 'desc').limit(f.limit).execute();
}

export async function findReport(ex: Executor, id: string, scope: ClientScope): Promise<ReportRow | undefined> {
  return scopeToClient(ex.selectFrom('reports').select([...REPORT_COLUMNS, 'figures']), 'clientId', scope).where('id', '=', id).executeTakeFirst();
}

export async function latestRevision(ex: Executor, contractId: string, month: string): Promise<number> {
  const r = await ex.selectFrom('reports').select((eb) => eb.fn.max('revision').as('rev')).where('contractId', '=', contractId).where('month', '=', month).executeTakeFirst();
  return Number(r?.rev ?? 0);
}

export async function currentReportNumber(ex: Executor): Promise<number> {
  return Number((await ex.selectFrom('counters').select('value').where('name', '=', 'report').executeTakeFirst())?.value ?? 0);
}

export async function nextReportNumber(ex: Executor): Promise<number> {
  const r = await ex
    .insertInto('counters')
    .values({ name: 'report', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

export async function insertReport(ex: Executor, row: NewRow<'reports'>, files: NewRow<'reportFiles'>[]): Promise<void> {
  await ex.insertInto('reports').values(row).execute();
  for (const f of files) await ex.insertInto('reportFiles').values(f).execute();
}

export async function acknowledge(ex: Executor, id: string, by: { userId: string; name: string; at: number }): Promise<void> {
  await ex.updateTable('reports').set({ acknowledgedAt: by.at, acknowledgedBy: by.userId, acknowledgedByName: by.name }).where('id', '=', id).execute();
}

export async function fileNames(ex: Executor, reportId: string): Promise<Array<Pick<ReportFileRow, 'name' | 'contentType' | 'size'>>> {
  return ex.selectFrom('reportFiles').select(['name', 'contentType', 'size']).where('reportId', '=', reportId).orderBy('name').execute();
}

export async function findFile(ex: Executor, reportId: string, name: string): Promise<ReportFileRow | undefined> {
  return ex.selectFrom('reportFiles').select(['reportId', 'name', 'contentType', 'encoding', 'body', 'size'])
    .where('reportId', '=', reportId).where('name', '=', name).executeTakeFirst();
}

export async function insertSend(ex: Executor, row: ReportSendRow): Promise<void> {
  await ex.insertInto('reportSends').values(row).execute();
}

export async function sendsOf(ex: Executor, reportId: string): Promise<ReportSendRow[]> {
  return ex.selectFrom('reportSends').select(['id', 'reportId', 'sentAt', 'sentBy', 'recipients']).where('reportId', '=', reportId).orderBy('sentAt').execute();
}

/** Every contract id (for --all), oldest first. */
export async function allContractIds(ex: Executor): Promise<string[]> {
  return (await ex.selectFrom('contracts').select('id').orderBy('createdAt').orderBy('id').execute()).map((r) => r.id);
}

export async function userName(ex: Executor, userId: string): Promise<string> {
  return (await ex.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst())?.name ?? userId;
}

/** Contract facts the report's cover needs (scoped: a contact sees only their client's). */
export async function contractFacts(ex: Executor, id: string, scope: ClientScope) {
  return scopeToClient(
    ex.selectFrom('contracts as c').innerJoin('clients as cl', 'cl.id', 'c.clientId').innerJoin('slaPolicies as p', 'p.id', 'c.slaPolicyId')
      .select(['c.id', 'c.name', 'c.clientId', 'c.calendarId', 'cl.name as clientName', 'p.name as policyName']),
    'c.clientId', scope,
  ).where('c.id', '=', id).executeTakeFirst();
}

/** Outages of the contract overlapping [from, to), with the number of the incident each opened. */
export async function monthOutages(ex: Executor, contractId: string, from: number, to: number) {
  return ex.selectFrom('outages as o').innerJoin('systems as s', 's.id', 'o.systemId').leftJoin('incidents as i', 'i.id', 'o.incidentId')
    .select(['o.id', 'o.systemId', 's.name as systemName', 'o.startedAt', 'o.endedAt', 'o.endedBy', 'o.muted', 'i.number as incidentNumber'])
    .where('o.contractId', '=', contractId).where('o.startedAt', '<', to)
    .where((eb) => eb.or([eb('o.endedAt', 'is', null), eb('o.endedAt', '>', from)]))
    .orderBy('o.startedAt').orderBy('o.id').execute();
}

/** Announced maintenance windows of the contract starting in [from, to). */
export async function monthMaintenance(ex: Executor, contractId: string, from: number, to: number) {
  return ex.selectFrom('maintenanceWindows')
    .select(['id', 'title', 'kind', 'startsAt', 'endsAt', 'announcedAt', 'noticeDeadlineAt', 'noticeInTime', 'emergencyReason', 'actualStart', 'actualEnd'])
    .where('contractId', '=', contractId).where('status', '=', 'announced').where('startsAt', '>=', from).where('startsAt', '<', to)
    .orderBy('startsAt').orderBy('id').execute();
}

/** E-mail addresses of the contract's designated contacts (primary first). */
export async function contractContactEmails(ex: Executor, contractId: string): Promise<string[]> {
  const rows = await ex.selectFrom('contractContacts as cc').innerJoin('contacts as c', 'c.id', 'cc.contactId')
    .select(['c.email', 'cc.isPrimary']).where('cc.contractId', '=', contractId).orderBy('cc.isPrimary', 'desc').orderBy('c.email').execute();
  return [...new Set(rows.map((r) => r.email).filter((e): e is string => !!e))];
}
