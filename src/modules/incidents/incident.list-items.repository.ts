/**
 * The stored list items (incident.list-items.ts): read by the page's ids, written by the
 * write path in the changing unit, rebuilt for incidents that have none (or an older
 * format). Apart from incident.repository.ts so that the list's filters and its
 * materialization change independently.
 */
import type { Executor } from '../../db/database.ts';
import { insertRows, type Upsert } from '../../db/insert-rows.ts';
import { executeShaped } from '../../db/shaped-query.ts';
import type { Row } from '../../db/schema.ts';

export type ListItemRow = Row<'incidentListItems'>;

const ITEM_UPSERT: Upsert = { conflict: ['incidentId'], fromRow: ['body', 'clocks', 'live', 'format'] };

export async function listItemsOf(ex: Executor, incidentIds: readonly string[]): Promise<ListItemRow[]> {
  if (incidentIds.length === 0) return [];
  const build = () => ex.selectFrom('incidentListItems').select(['incidentId', 'body', 'clocks', 'live', 'format']).where('incidentId', 'in', incidentIds);
  return (await executeShaped(ex, `list-items-of|${incidentIds.length}`, incidentIds, build)).rows;
}

/** In the unit that changed the incident (queued with its other inserts on PostgreSQL). */
export async function upsertListItem(ex: Executor, row: ListItemRow): Promise<void> {
  await insertRows(ex, 'incidentListItems', [row], ITEM_UPSERT, { deferrable: true });
}

/**
 * The rebuild's write: only where no row of this format is stored yet, so a rebuild that read
 * an incident before a concurrent change committed never overwrites that change's own row.
 */
export async function insertListItemsIfOlder(ex: Executor, rows: readonly ListItemRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ex.insertInto('incidentListItems').values([...rows])
    .onConflict((oc) => oc.column('incidentId')
      .doUpdateSet((eb) => ({ body: eb.ref('excluded.body'), clocks: eb.ref('excluded.clocks'), live: eb.ref('excluded.live'), format: eb.ref('excluded.format') }))
      .where('incidentListItems.format', '<', (eb) => eb.ref('excluded.format')))
    .execute();
}

/** Ids (by number, after `afterNumber`) of incidents without a stored item of `format`. */
export async function incidentsWithoutItem(ex: Executor, format: number, afterNumber: number, limit: number): Promise<{ id: string; number: number }[]> {
  return ex.selectFrom('incidents')
    .leftJoin('incidentListItems', 'incidentListItems.incidentId', 'incidents.id')
    .select(['incidents.id', 'incidents.number'])
    .where('incidents.number', '>', afterNumber)
    .where((eb) => eb.or([eb('incidentListItems.incidentId', 'is', null), eb('incidentListItems.format', '<', format)]))
    .orderBy('incidents.number')
    .limit(limit)
    .execute();
}
