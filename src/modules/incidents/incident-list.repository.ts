/**
 * Which incidents a page of the queue holds and in what order: the filters, the search,
 * the three sorts and their keyset cursors. How the chosen rows become incidents is
 * incident.queries.ts's business; this file only selects (WHERE / ORDER BY / LIMIT).
 *
 * Sorts, each with the incident number as the tie-breaker so a cursor is exact:
 * - number:   number desc
 * - received: received_at desc, number desc
 * - due:      the earliest running deadline (min due_at of started, unmet targets) asc,
 *             incidents without one last, then number desc
 * The SLA-state filter is the queue's headline state at `now` (presentTarget /
 * worstState): the worst of the in-scope targets, a stopped clock judged at its pause.
 */
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { DB } from '../../db/schema.ts';
import type { IncidentCursor, IncidentSort } from '../../contract/incidents.ts';

export interface IncidentSelection {
  scope: ClientScope;
  status?: readonly string[];
  priority?: readonly string[];
  channel?: readonly string[];
  category?: readonly string[];
  /** SLA states (see SEVERITY). */
  sla?: readonly string[];
  inScope?: boolean;
  contractId?: string;
  clientId?: string;
  assigneeId?: string;
  systemId?: string;
  /** Search text, already trimmed and non-empty. */
  q?: string;
  sort: IncidentSort;
  after?: IncidentCursor;
  /** The instant SLA states are judged at. */
  now: number;
  limit: number;
}

/** The headline SLA states by severity, as the web's worstState ranks them. */
export const SEVERITY: Record<string, number> = { pending: 0, met: 1, metLate: 2, ok: 3, atRisk: 4, breached: 5 };

type EB = ExpressionBuilder<DB, 'incidents'>;

/** The worst SLA state of an incident at `now`, as a number (SEVERITY). */
function severity(now: number): Expression<number> {
  // A stopped clock is judged at the start of its pause (presentTarget: the used fraction is frozen).
  const at = sql`case when t.pausable = 1 then coalesce((select min(p.started_at) from incident_pauses p
                   where p.incident_id = t.incident_id and p.ended_at is null), ${now}) else ${now} end`;
  return sql<number>`case when incidents.in_scope = 0 then 0 else coalesce((select max(case
      when t.clock_start is null then 0
      when t.met_at is not null then case when t.due_at is not null and t.met_at <= t.due_at then 1 else 2 end
      when t.due_at is not null and ${at} > t.due_at then 5
      when t.at_risk_at is not null and ${at} >= t.at_risk_at then 4
      else 3 end) from incident_targets t where t.incident_id = incidents.id), 0) end`;
}

/** The earliest running deadline (null: none), the `due` sort's key. */
const nextDue = sql<number | null>`(select min(t.due_at) from incident_targets t
  where t.incident_id = incidents.id and t.clock_start is not null and t.met_at is null and t.due_at is not null)`;

/** `q` as a number when it is one (1234 or #1234). */
export function numberIn(q: string): number | null {
  const m = /^#?(\d{1,15})$/.exec(q);
  return m ? Number(m[1]) : null;
}

const likeEscape = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Incidents whose search text contains `q` (case-insensitive). */
function matches(ex: Executor, eb: EB, q: string): Expression<SqlBool> {
  const pattern = `%${likeEscape(q)}%`;
  if (isPostgres(ex)) {
    // The GIN trigram index serves ILIKE for 3+ characters; shorter patterns scan.
    return eb('incidents.id', 'in', sql<string>`(select s.incident_id from incident_search s where s.doc ilike ${pattern})`);
  }
  // FTS5 trigram: a quoted phrase matches any substring of 3+ characters; shorter text cannot use
  // the index and falls back to LIKE over the same table (ASCII case-insensitive).
  const byIndex = [...q].length >= 3
    ? sql<number>`(select rowid from incident_search where incident_search match ${`"${q.replace(/"/g, '""')}"`})`
    : sql<number>`(select rowid from incident_search where doc like ${pattern} escape '\\')`;
  return eb('incidents.number', 'in', byIndex);
}

function sortKey(sort: IncidentSort): RawBuilder<number | null> {
  if (sort === 'received') return sql.ref<number>('incidents.receivedAt');
  if (sort === 'due') return nextDue;
  return sql.ref<number>('incidents.number');
}

/** Rows after the cursor in the sort's order. */
function afterCursor(eb: EB, sort: IncidentSort, c: IncidentCursor): Expression<SqlBool> {
  if (sort === 'number') return eb('incidents.number', '<', c.number);
  if (sort === 'received') {
    return eb.or([
      eb('incidents.receivedAt', '<', c.key ?? 0),
      eb.and([eb('incidents.receivedAt', '=', c.key ?? 0), eb('incidents.number', '<', c.number)]),
    ]);
  }
  // due: ascending with nulls last.
  if (c.key === null) return eb.and([eb(nextDue, 'is', null), eb('incidents.number', '<', c.number)]);
  return eb.or([
    eb(nextDue, '>', c.key),
    eb(nextDue, 'is', null),
    eb.and([eb(nextDue, '=', c.key), eb('incidents.number', '<', c.number)]),
  ]);
}

/**
 * The selected rows with the given columns and each row's sort key, up to `limit`.
 * `columns` are the caller's (the rows it materializes); the selection does not care.
 */
export async function selectIncidents<C extends keyof DB['incidents'] & string>(
  ex: Executor, f: IncidentSelection, columns: readonly C[], o: { withItems?: boolean } = {},
): Promise<Array<Pick<DB['incidents'], C> & { sortKey: number | null } & Partial<StoredItemColumns>>> {
  let q = scopeToClient(ex.selectFrom('incidents'), 'clientId', f.scope);
  if (f.status?.length) q = q.where('status', 'in', [...f.status]);
  if (f.priority?.length) q = q.where('priority', 'in', [...f.priority]);
  if (f.channel?.length) q = q.where('channel', 'in', [...f.channel]);
  if (f.category?.length) q = q.where('category', 'in', [...f.category]);
  if (f.inScope !== undefined) q = q.where('inScope', '=', f.inScope ? 1 : 0);
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.clientId) q = q.where('clientId', '=', f.clientId);
  if (f.assigneeId) q = q.where('assigneeId', '=', f.assigneeId);
  if (f.systemId) q = q.where('systemId', '=', f.systemId);
  if (f.sla?.length) {
    const levels = [...new Set(f.sla.map((s) => SEVERITY[s]).filter((n): n is number => n !== undefined))];
    q = q.where(severity(f.now), 'in', levels);
  }
  if (f.q) {
    const text = f.q;
    const n = numberIn(text);
    q = q.where((eb) => (n !== null ? eb.or([eb('incidents.number', '=', n), matches(ex, eb, text)]) : matches(ex, eb, text)));
  }
  if (f.after) {
    const after = f.after;
    q = q.where((eb) => afterCursor(eb, f.sort, after));
  }
  const key = sortKey(f.sort);
  let ordered = q.select([...columns]).select(key.as('sortKey') as never);
  // Each row's stored list item in the same statement (one round trip less per page on PostgreSQL).
  // The filters above name incident columns unqualified: the item table shares none of those names.
  if (o.withItems) {
    ordered = ordered.leftJoin('incidentListItems', 'incidentListItems.incidentId', 'incidents.id').select([
      'incidentListItems.body as itemBody', 'incidentListItems.clocks as itemClocks',
      'incidentListItems.live as itemLive', 'incidentListItems.format as itemFormat',
    ]) as unknown as typeof ordered;
  }
  if (f.sort === 'received') ordered = ordered.orderBy('incidents.receivedAt', 'desc');
  // PostgreSQL sorts nulls last in ascending order already; SQLite first, so say it.
  if (f.sort === 'due') ordered = ordered.orderBy(sql`${nextDue} is null`).orderBy(nextDue);
  const rows = await ordered.orderBy('incidents.number', 'desc').limit(f.limit).execute();
  return rows as unknown as Array<Pick<DB['incidents'], C> & { sortKey: number | null } & Partial<StoredItemColumns>>;
}

/** A row's stored list item as selectIncidents(…, { withItems: true }) reads it (null: none stored). */
export interface StoredItemColumns {
  itemBody: string | null;
  itemClocks: string | null;
  itemLive: DB['incidentListItems']['live'] | null;
  itemFormat: number | null;
}
