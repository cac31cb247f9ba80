/** Queries of the reports module: the month's incidents with targets and pauses, and the issued reports. */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, SqliteAdapter, type CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
import {
  REPORT_CATEGORIES, REPORT_PRIORITIES, REPORT_TARGET_KINDS, type ReportIncidentInput, type ReportTargetKind, type SettledMonth,
} from '../../core/report/compute.ts';
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
  const inMonth = !numbers
    ? monthPredicate(contractId, from, to)
    : numbers.sqlite
      ? sql`i.number in (select value from json_each(${JSON.stringify(numbers.list)}))`
      : sql`i.number = any(${[...numbers.list]}::bigint[])`;
  return {
    incidents: sql<MonthIncidentRow>`select i.id, i.number, i.title, i.priority, i.category, i.status, i.in_scope as "inScope", i.billable,
        i.out_of_scope_reason as "outOfScopeReason", i.received_at as "receivedAt", i.recognized_at as "recognizedAt", i.sla_policy_version as "slaPolicyVersion",
        i.calendar_id as "calendarId", i.resolution_cause as "resolutionCause"
      from incidents i where ${inMonth} order by i.number`,
    targets: sql<MonthTargetRow>`select i.number, t.kind, t.target, t.clock_start as "clockStart", t.due_at as "dueAt",
        t.met_at as "metAt", t.pausable
      from incidents i join incident_targets t on t.incident_id = i.id where ${inMonth}`,
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

/**
 * The month split for counting (core: SettledMonth), read from the incident facts that
 * triggers copy onto each target (migration 202612070900) through one covering index, and
 * from the incidents received in the month. The process reads whole an incident that is out
 * of scope and received in the month, of a priority, category or target kind the report does
 * not know, or that has a started target neither met on time within the month (`fast`) nor
 * settled before it (`quiet`); the rest it only counts. No comparison here is ever NULL: a
 * target with a missing instant is never taken for settled.
 */
export function settledQueries(contractId: string, from: number, to: number, asOf: number) {
  const priorities = sql.join(REPORT_PRIORITIES.map((p) => sql.lit(p)));
  const kinds = sql.join(REPORT_TARGET_KINDS.map((k) => sql.lit(k)));
  // The month's incidents (monthQueries), by the copies on the target.
  const inMonth = sql`t.incident_contract_id = ${contractId} and t.incident_received_at < ${to} and (t.incident_resolved_at is null or t.incident_resolved_at >= ${from})`;
  const fast = sql`(t.due_at is not null and t.met_at is not null and t.met_at <= ${asOf} and t.met_at <= t.due_at and t.met_at >= ${from} and t.met_at < ${to})`;
  // Ended before the month: met by asOf, and its end (met, or due when late) before `from`; a target ends at or before it is met.
  const quiet = sql`(t.met_at is not null and t.met_at <= ${asOf} and (t.met_at < ${from} or (t.due_at is not null and t.met_at > t.due_at and t.due_at < ${from})))`;
  return {
    // One row per started target of the month's in-scope incidents that did not end before it: a target met on time
    // in the month, of a kind and priority the report knows and a policy version under 256, as one integer
    // (number × 4096 + version × 16 + kind × 4 + priority); any other as −1 − its incident's number: read whole.
    // The condition on met_at follows from `not quiet` (a target met before both the month and asOf is quiet); it lets
    // the index skip the past.
    targets: sql<{ code: number }>`select case when ${fast} and t.kind in (${kinds}) and t.incident_priority in (${priorities})
            and t.incident_policy_version >= 0 and t.incident_policy_version < 256
          then cast(t.incident_number as bigint) * 4096 + t.incident_policy_version * 16 + ${codeOf(sql`t.kind`, REPORT_TARGET_KINDS)} * 4
            + ${codeOf(sql`t.incident_priority`, REPORT_PRIORITIES)}
          else -1 - cast(t.incident_number as bigint) end as code
      from incident_targets t
      where ${inMonth} and (t.met_at is null or t.met_at >= ${Math.min(from, asOf + 1)}) and t.incident_in_scope = 1 and t.clock_start is not null
        and not ${quiet}`,
    // One integer per row where a row is a number and a few words: the month's 100,000 incidents and 160,000 met
    // targets come through the driver as one value (or three) each, not as arrays of strings (docs/benchmarks.md).
    received: sql<{ code: number; receivedAt: number; recognizedAt: number | null }>`select
        cast(i.number as bigint) * 64 + (case when i.in_scope = 1 then 32 else 0 end)
          + ${codeOf(sql`i.priority`, REPORT_PRIORITIES)} * 8 + ${codeOf(sql`i.category`, REPORT_CATEGORIES)} as code,
        i.received_at as "receivedAt", i.recognized_at as "recognizedAt"
      from incidents i where i.contract_id = ${contractId} and i.received_at >= ${from} and i.received_at < ${to} and (i.resolved_at is null or i.resolved_at >= ${from})`,
  };
}

/** A word's index in the report's vocabulary (the list's length for a word it does not know). */
function codeOf(column: RawBuilder<unknown>, words: readonly string[]): RawBuilder<number> {
  return sql<number>`(case ${column} ${sql.join(words.map((w, k) => sql`when ${sql.lit(w)} then ${sql.lit(k)}`), sql` `)} else ${sql.lit(words.length)} end)`;
}

/** The settled split of a month: the numbers to read whole (ascending) and the counted rest. */
export interface MonthSplit {
  whole: number[];
  settled: SettledMonth;
}

/**
 * Runs a query: its rows as arrays in select order, or its first column alone (SQLite's own
 * handle — one value per row costs the driver a third of an array per row — or Kysely on
 * PostgreSQL).
 */
export interface MonthReader {
  rows(query: RawBuilder<unknown>): Promise<Iterable<unknown[]>>;
  column(query: RawBuilder<unknown>): Promise<Iterable<unknown>>;
}

/** A MonthReader on SQLite's own handle (inside `db.connection().execute`); each row dies young as it is stepped. */
export function rawMonthReader(db: Kysely<DB>, handle: BetterSqlite3.Database): MonthReader {
  const prepared = (query: RawBuilder<unknown>) => {
    const c = query.compile(db.withoutPlugins());
    return { statement: handle.prepare(c.sql), parameters: c.parameters };
  };
  return {
    rows: async (query) => {
      const { statement, parameters } = prepared(query);
      return statement.raw(true).iterate(...parameters) as IterableIterator<unknown[]>;
    },
    column: async (query) => {
      const { statement, parameters } = prepared(query);
      return statement.pluck(true).iterate(...parameters);
    },
  };
}

/** A MonthReader through Kysely (PostgreSQL; the tests on both dialects). */
export function kyselyMonthReader(ex: Executor): MonthReader {
  const plain = ex.withoutPlugins();
  const rows = async (query: RawBuilder<unknown>) => (await query.execute(plain)).rows.map((r) => Object.values(r as object) as unknown[]);
  return { rows, column: async (query) => (await rows(query)).map((r) => r[0]) };
}

/**
 * Reads the split (settledQueries) and moves the first `pad` settled incidents that the
 * month lists (by number) to the ones read whole, so the appendix — breaches, open and
 * out-of-scope first, then the others by number, at most `pad` — finds every row it shows.
 */
export async function monthSplit(read: MonthReader, contractId: string, from: number, to: number, asOf: number, pad: number): Promise<MonthSplit> {
  const q = settledQueries(contractId, from, to, asOf);
  const complex = new Set<number>();
  // Targets met on time in the month, as codes sorted number-major (so by incident); the others name an incident to read whole.
  let metCodes = new Float64Array(1024);
  let metCount = 0;
  for (const value of await read.column(q.targets)) {
    const code = Number(value);
    if (code < 0) complex.add(-1 - code);
    else {
      if (metCount === metCodes.length) {
        const grown = new Float64Array(metCodes.length * 2);
        grown.set(metCodes);
        metCodes = grown;
      }
      metCodes[metCount++] = code;
    }
  }
  const met = metCodes.subarray(0, metCount).sort();
  const metNumber = (k: number) => Math.floor(met[k]! / 4096);
  // Received in the month, as columns: no object per incident (they live until the core has run: an old-generation
  // object each, and the GC was the largest single cost of the HTML). Out of scope, or of a priority or category the
  // report does not know → read whole.
  const rNumber: number[] = [];
  const rCode: number[] = [];
  const rAt: number[] = [];
  const rRecognized: number[] = [];
  for (const r of await read.rows(q.received)) {
    const code = Number(r[0]);
    const n = Math.floor(code / 64);
    // Bit operations see the low 32 bits of the code, which hold these fields exactly.
    if (!(code & 32) || ((code >> 3) & 3) >= REPORT_PRIORITIES.length || (code & 7) >= REPORT_CATEGORIES.length) complex.add(n);
    else {
      rNumber.push(n);
      rCode.push(code);
      rAt.push(Number(r[1]));
      rRecognized.push(r[2] === null ? NaN : Number(r[2]));
    }
  }
  // Usually in number order already (a contract's incidents come in the order they were filed); else through an index.
  let order: number[] | null = null;
  for (let k = 1; k < rNumber.length && !order; k++) if (rNumber[k - 1]! > rNumber[k]!) order = rNumber.map((_, i) => i).sort((x, y) => rNumber[x]! - rNumber[y]!);
  const at = order ? (k: number) => order[k]! : (k: number) => k;
  const receivedNumber = (k: number) => rNumber[at(k)]!;
  // The first `pad` listed settled numbers, by number, are read whole too.
  const padded = new Set<number>();
  for (let a = 0, b = 0; padded.size < pad && (a < rNumber.length || b < met.length);) {
    if (a < rNumber.length && complex.has(receivedNumber(a))) { a++; continue; }
    if (b < met.length && complex.has(metNumber(b))) { b++; continue; }
    const n = Math.min(a < rNumber.length ? receivedNumber(a) : Infinity, b < met.length ? metNumber(b) : Infinity);
    padded.add(n);
    while (a < rNumber.length && receivedNumber(a) === n) a++;
    while (b < met.length && metNumber(b) === n) b++;
  }
  const settled: SettledMonth = {
    received: { number: [], priority: [], category: [], receivedAt: [], recognizedAt: [] },
    met: { number: [], kind: [], priority: [] },
    metVersions: [],
  };
  const rr = settled.received;
  for (let a = 0; a < rNumber.length; a++) {
    const k = at(a);
    const n = rNumber[k]!;
    if (complex.has(n) || padded.has(n)) continue;
    const code = rCode[k]!;
    rr.number.push(n);
    rr.priority.push((code >> 3) & 3);
    rr.category.push(code & 7);
    rr.receivedAt.push(rAt[k]!);
    rr.recognizedAt.push(rRecognized[k]!);
  }
  const m = settled.met;
  const versions = new Set<number>();
  for (let k = 0; k < met.length; k++) {
    const code = met[k]!;
    // Every on-time target's version, the whole-read ones' too: the core counts those in the same cells.
    versions.add(code % 4096);
    const n = metNumber(k);
    if (complex.has(n) || padded.has(n)) continue;
    m.number.push(n);
    m.kind.push((code >> 2) & 3);
    m.priority.push(code & 3);
  }
  for (const v of versions) settled.metVersions.push({ kind: REPORT_TARGET_KINDS[(v >> 2) & 3]!, priority: REPORT_PRIORITIES[v & 3]!, policyVersion: v >> 4 });
  const whole = [...complex, ...padded].sort((x, y) => x - y);
  return { whole, settled };
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
  const m = new MonthInputs();
  readRaw(db, handle, monthQueries(contractId, from, to, numbers && { list: numbers, sqlite: true }), m);
  return m.done();
}

/** A query's rows as arrays in select order, on SQLite's own handle (inside `db.connection().execute`). */
function rawRows(db: Kysely<DB>, handle: BetterSqlite3.Database, query: { compile(ex: Kysely<DB>): CompiledQuery }): IterableIterator<unknown[]> {
  const c = query.compile(db.withoutPlugins());
  return handle.prepare(c.sql).raw(true).iterate(...c.parameters) as IterableIterator<unknown[]>;
}

function readRaw(db: Kysely<DB>, handle: BetterSqlite3.Database, q: ReturnType<typeof monthQueries>, m: MonthInputs): void {
  const rows = (query: { compile(ex: Kysely<DB>): CompiledQuery }) => rawRows(db, handle, query);
  for (const r of rows(q.incidents)) {
    m.incident({
      id: r[0] as string, number: r[1] as number, title: r[2] as string, priority: r[3] as string, category: r[4] as string, status: r[5] as string,
      inScope: r[6] === 1, billable: r[7] === 1, outOfScopeReason: r[8] as string | null, receivedAt: r[9] as number, recognizedAt: r[10] as number | null,
      policyVersion: r[11] as number, calendarId: r[12] as string, resolutionCause: r[13] as string | null, targets: [], pauses: [],
    });
  }
  for (const r of rows(q.targets)) m.target(r[0] as number, r[1] as string, r[2] as string, r[3] as number | null, r[4] as number | null, r[5] as number | null, r[6] === 1);
  for (const r of rows(q.pauses)) m.pause(r[0] as number, r[1] as number, r[2] as number | null);
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
