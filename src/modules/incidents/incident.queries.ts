/**
 * Reading incidents: what an actor may see of them, presented with their SLA targets at
 * "now" (incident.view.ts), the exact list cache, the policy-document cache and the explanation of a
 * deadline. Nothing here writes; the commands (incident.service.ts) use `load`,
 * `detail`, `toIncident`, `toTimeline` and `policyDoc` to answer with what they wrote.
 */
import { explainDeadline, type Explanation, type SlaTarget } from '../../core/sla/index.ts';
import { notFound } from '../../errors.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, type ServiceDeps } from '../../db/tx.ts';
import { ReadCache } from '../../db/read-cache.ts';
import { tableVersionsOf } from '../../db/table-versions.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import type { SlaPolicyDocument } from '../../contract/sla-policy-document.ts';
import { OPEN_STATUSES, type Priority, type Status, type TargetKind } from '../../contract/vocabulary.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import type { Incident, IncidentDetail } from './incident.model.ts';
import * as repo from './incident.repository.ts';
import { listItemsOf, type ListItemRow } from './incident.list-items.repository.ts';
import { materializePage } from './incident.list-items.ts';
import { presentIncident } from './incident.presenter.ts';
import { selectIncidents, type IncidentSelection, type StoredItemColumns } from './incident-list.repository.ts';
import type { IncidentCursor } from '../../contract/incidents.ts';
import type { DB } from '../../db/schema.ts';
import { isPostgres } from '../../db/dialect.ts';
import { pausesFor } from './incident.sla.ts';
import { present, presentUntil, toIncident, toTimeline, type KnownRows } from './incident.view.ts';

export { authorKind } from './incident.view.ts';

export interface IncidentListFilter {
  status?: Status[];
  /** Only open incidents (new … solution_proposed). */
  open?: boolean;
  priority?: Priority[];
  contractId?: string;
  clientId?: string;
  assigneeId?: string;
  beforeNumber?: number;
  /** 'newest' (default, by number, pages with beforeNumber) or 'deadline' (next SLA warning/breach first). */
  sort?: 'newest' | 'deadline';
  limit?: number;
}

/** The queue's page: every filter, the search, one of the sorts and its cursor (incident-list.repository.ts). */
export interface IncidentPageFilter extends Omit<IncidentSelection, 'scope' | 'now' | 'status'> {
  status?: Status[];
  /** Only open incidents (new … solution_proposed). */
  open?: boolean;
}

export interface IncidentPage { items: Incident[]; nextCursor: IncidentCursor | null }

type IncidentColumn = keyof DB['incidents'] & string;

/** The stored items a page's rows were read with (selectIncidents' withItems). */
const storedOf = (rows: ReadonlyArray<{ id: string } & Partial<StoredItemColumns>>): ListItemRow[] => rows.flatMap((r) =>
  r.itemBody == null || r.itemLive == null || r.itemFormat == null ? []
    : [{ incidentId: r.id, body: r.itemBody, clocks: r.itemClocks ?? null, live: r.itemLive, format: r.itemFormat }]);

/**
 * The statuses a list asks for: `open` narrows the given ones to the open statuses (all of
 * them when none is given). An empty result from a non-empty choice asks for nothing, where an
 * empty or absent list means "any status".
 */
function statusesAsked(filter: { status?: Status[] | undefined; open?: boolean | undefined }): readonly Status[] | undefined {
  return filter.open ? (filter.status?.length ? filter.status.filter((s) => OPEN_STATUSES.includes(s)) : OPEN_STATUSES) : filter.status;
}

export function createIncidentQueries({ db, clock }: ServiceDeps) {
  const policyCache = new Map<string, SlaPolicyDocument>();
  /** Policy versions never change once written, so they are cached for the process lifetime. */
  async function policyDoc(ex: Executor, id: string, version: number): Promise<SlaPolicyDocument> {
    const key = `${id}:${version}`;
    let doc = policyCache.get(key);
    if (!doc) {
      doc = (await loadPolicyVersion(ex, id, version)).document;
      policyCache.set(key, doc);
    }
    return doc;
  }

  async function load(ex: Executor, actor: Actor, id: string, lock = false): Promise<repo.IncidentRow> {
    const row = await repo.findIncident(ex, id, clientScope(actor), lock);
    if (!row) throw notFound('incident');
    return row;
  }

  async function detail(ex: Executor, actor: Actor, row: repo.IncidentRow, now: number, known?: KnownRows): Promise<IncidentDetail> {
    const [incident] = await present(ex, actor, [row], now, known);
    const events = await repo.eventsOf(ex, row.id, may(actor, 'incident.read_internal'));
    return { ...incident!, timeline: events.map((e) => toTimeline(e)) };
  }

  /** The repository's filter for a list filter; null when it asks for nothing. */
  function pageFilter(actor: Actor, filter: IncidentListFilter): repo.IncidentFilter | null {
    authorize(actor, 'incident.list');
    const status = statusesAsked(filter);
    // open=true with only closed statuses asks for nothing (an empty list would mean "any status" below).
    if (filter.status?.length && status?.length === 0) return null;
    return {
      scope: clientScope(actor),
      status,
      priority: filter.priority,
      contractId: filter.contractId,
      clientId: filter.clientId,
      assigneeId: filter.assigneeId,
      beforeNumber: filter.beforeNumber,
      sort: filter.sort,
      limit: Math.min(Math.max(filter.limit ?? 50, 1), 200),
    };
  }

  async function listRows(actor: Actor, filter: IncidentListFilter): Promise<repo.IncidentRow[]> {
    const f = pageFilter(actor, filter);
    return f ? repo.listIncidents(db, f) : [];
  }

  /** The page's keys only (its items come from the stored list items). */
  async function listKeys(actor: Actor, filter: IncidentListFilter): Promise<Pick<repo.IncidentRow, 'id' | 'number'>[]> {
    const f = pageFilter(actor, filter);
    return f ? repo.listIncidentKeys(db, f) : [];
  }

  /**
   * A page's items as the list sends them (JSON text each), from the stored items
   * (incident.list-items.ts); `rows` are the page's incidents in order.
   */
  async function materialize(actor: Actor, ids: readonly string[], now: number): Promise<{ items: string[]; until: number }> {
    return materializeFrom(actor, await listItemsOf(db, ids), ids, now);
  }

  /** As materialize, with the page's stored items already read (joined to its rows). */
  async function materializeFrom(actor: Actor, stored: readonly ListItemRow[], ids: readonly string[], now: number): Promise<{ items: string[]; until: number }> {
    return materializePage(stored, ids, now, async (missing) => {
      const { items, until } = await presentUntil(db, actor, await repo.findIncidents(db, missing), now);
      return { items: new Map(items.map((i) => [i.id, JSON.stringify(presentIncident(i))])), until };
    });
  }

  /** Up to limit + 1 rows (one more tells whether there is a next page), with their sort keys. */
  async function pageRows<C extends IncidentColumn>(actor: Actor, filter: IncidentPageFilter, now: number, columns: readonly ('number' | C)[], withItems = false) {
    authorize(actor, 'incident.list');
    const status = statusesAsked(filter);
    if (filter.status?.length && status?.length === 0) return [];
    const limit = Math.min(Math.max(filter.limit, 1), 1000);
    return selectIncidents(db, { ...filter, status, scope: clientScope(actor), now, limit: limit + 1 }, columns, { withItems });
  }

  /**
   * A page and the cursor of the next one (null on the last), its items made by `make`
   * from the page's rows of `columns` (every column to present them; the id alone for the
   * stored items — the 36 columns cost a stored-items page more than the rest of it).
   */
  async function pageOf<I, C extends IncidentColumn>(
    actor: Actor, filter: IncidentPageFilter, now: number, columns: readonly ('number' | C)[],
    make: (rows: Awaited<ReturnType<typeof pageRows<C>>>) => Promise<{ items: I[]; until: number }>, withItems = false,
  ): Promise<{ items: I[]; nextCursor: IncidentCursor | null; lastNumber: number | null; until: number }> {
    const rows = await pageRows(actor, filter, now, columns, withItems);
    const more = rows.length > filter.limit;
    const shown = more ? rows.slice(0, filter.limit) : rows;
    const last = shown.at(-1);
    const { items, until } = await make(shown);
    const nextCursor = more && last ? { sort: filter.sort, key: last.sortKey, number: last.number } : null;
    // An SLA-state filter selects by the clock: the page may change at any incident's deadline.
    return { items, nextCursor, lastNumber: last?.number ?? null, until: filter.sla?.length ? now : until };
  }

  const page = (actor: Actor, filter: IncidentPageFilter, now: number) =>
    pageOf(actor, filter, now, repo.COLUMNS, (rows) => presentUntil(db, actor, rows, now));

  // What a list shows comes from these tables (calendars: the moving deadline of a stopped clock).
  const listCache = new ReadCache<unknown>(tableVersionsOf(db), ['incidents', 'incident_targets', 'incident_pauses', 'incident_list_items', 'calendars'], {
    // Rendered answers are byte strings (the HTTP body); a page of 200 incidents is about 250 KB.
    sizeOf: (v) => (Buffer.isBuffer(v) || typeof v === 'string' ? v.length : 0),
  });

  // Search reads mail subjects too (incident_search is written by triggers on both tables).
  const pageCache = new ReadCache<unknown>(tableVersionsOf(db), ['incidents', 'incident_targets', 'incident_pauses', 'incident_list_items', 'calendars', 'mail_messages'], {
    sizeOf: (v) => (Buffer.isBuffer(v) || typeof v === 'string' ? v.length : 0),
  });

  return {
    policyDoc,
    load,
    toIncident,
    toTimeline,
    detail,

    async get(actor: Actor, id: string): Promise<IncidentDetail> {
      authorize(actor, 'incident.read');
      const now = clock();
      return detail(db, actor, await load(db, actor, id), now);
    },

    async getByNumber(actor: Actor, number: number): Promise<IncidentDetail> {
      authorize(actor, 'incident.read');
      const row = await repo.findIncidentByNumber(db, number, clientScope(actor));
      if (!row) throw notFound('incident');
      return detail(db, actor, row, clock());
    },

    /** Newest first; page with `beforeNumber` = the last number of the previous page. */
    async list(actor: Actor, filter: IncidentListFilter = {}): Promise<Incident[]> {
      const now = clock();
      return present(db, actor, await listRows(actor, filter), now);
    },

    /**
     * The list as `render` makes it (e.g. the HTTP answer's JSON), from an exact
     * cache on SQLite: a queue polled by many agents is read far more often than it
     * changes. `renderKey` names the rendering; equal keys must render alike.
     */
    async listRendered<T>(actor: Actor, filter: IncidentListFilter, renderKey: string, render: (items: Incident[]) => T): Promise<T> {
      authorize(actor, 'incident.list');
      const now = clock();
      const key = JSON.stringify([renderKey, clientScope(actor), may(actor, 'incident.read_internal'), filter]);
      return listCache.read(key, now, async () => {
        const { items, until } = await presentUntil(db, actor, await listRows(actor, filter), now);
        return { value: render(items), until };
      }) as Promise<T>;
    },

    /**
     * As listRendered, from the stored items: `render` gets each item's JSON text (as
     * JSON.stringify(presentIncident(item)) would give it) and the page's last number.
     */
    async listRenderedStored<T>(
      actor: Actor, filter: IncidentListFilter, renderKey: string, render: (items: string[], lastNumber: number | null) => T,
    ): Promise<T> {
      authorize(actor, 'incident.list');
      const now = clock();
      const key = JSON.stringify([renderKey, 'stored', clientScope(actor), may(actor, 'incident.read_internal'), filter]);
      return listCache.read(key, now, async () => {
        const keys = await listKeys(actor, filter);
        const { items, until } = await materialize(actor, keys.map((k) => k.id), now);
        return { value: render(items, keys.at(-1)?.number ?? null), until };
      }) as Promise<T>;
    },


    /** A page of the queue (filters, search, sort, cursor). */
    async page(actor: Actor, filter: IncidentPageFilter): Promise<IncidentPage> {
      const { items, nextCursor } = await page(actor, filter, clock());
      return { items, nextCursor };
    },

    /** `page` as `render` makes it, from the exact list cache (its key holds every filter, the search and the cursor). */
    async pageRendered<T>(actor: Actor, filter: IncidentPageFilter, renderKey: string, render: (p: IncidentPage) => T): Promise<T> {
      authorize(actor, 'incident.list');
      const now = clock();
      const key = JSON.stringify(['page', renderKey, clientScope(actor), may(actor, 'incident.read_internal'), filter]);
      return pageCache.read(key, now, async () => {
        const { items, nextCursor, until } = await page(actor, filter, now);
        return { value: render({ items, nextCursor }), until };
      }) as Promise<T>;
    },

    /**
     * As pageRendered, from the stored items (incident.list-items.ts): `render` gets each
     * item's JSON text (as JSON.stringify(presentIncident(item)) gives it), the next page's
     * cursor and the page's last number.
     */
    async pageRenderedStored<T>(
      actor: Actor, filter: IncidentPageFilter, renderKey: string,
      render: (items: string[], nextCursor: IncidentCursor | null, lastNumber: number | null) => T,
    ): Promise<T> {
      authorize(actor, 'incident.list');
      const now = clock();
      const key = JSON.stringify(['page', renderKey, 'stored', clientScope(actor), may(actor, 'incident.read_internal'), filter]);
      return pageCache.read(key, now, async () => {
        // PostgreSQL: the items joined to the page's rows, one round trip less; SQLite (no round
        // trips) reads them apart, which list-miss measured cheaper there (752 against 859 µs a page).
        const joined = isPostgres(db);
        const { items, nextCursor, lastNumber, until } = await pageOf(actor, filter, now, ['id', 'number'], (rows) =>
          (joined ? materializeFrom(actor, storedOf(rows), rows.map((r) => r.id), now) : materialize(actor, rows.map((r) => r.id), now)), joined);
        return { value: render(items, nextCursor, lastNumber), until };
      }) as Promise<T>;
    },

    /** The calendar intervals a target's deadline counted (SPEC §2: every deadline explains itself). */
    async explain(actor: Actor, id: string, kind: TargetKind): Promise<Explanation> {
      authorize(actor, 'incident.explain');
      const row = await load(db, actor, id);
      const target = await repo.findTarget(db, row.id, kind);
      if (!target || target.clockStart === null) throw notFound('incident_target');
      const pauses = fromFlag(target.pausable) ? pausesFor(await repo.pausesOf(db, [row.id]), clock()) : [];
      return explainDeadline({
        calendar: await loadWorkingCalendar(db, row.calendarId),
        start: target.clockStart,
        target: JSON.parse(target.target) as SlaTarget,
        pauses,
      });
    },
  };
}
export type IncidentQueries = ReturnType<typeof createIncidentQueries>;
