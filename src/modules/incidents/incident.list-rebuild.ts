/**
 * Stored list items for the incidents that have none, or one of an older
 * LIST_ITEM_FORMAT (incident.list-items.ts): after the migration that added them, and
 * after a change of what a list item shows. Run when the desk starts (main.ts startDesk),
 * before it serves; until an item is rebuilt the list presents
 * that incident at read time, so the rebuild is about speed, never about correctness.
 * Several processes may run it at once: a row is written only where none of this
 * format exists, so an item a concurrent change stored is never overwritten.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { createIncidentQueries } from './incident.queries.ts';
import { incidentsWithoutItem, insertListItemsIfOlder, type ListItemRow } from './incident.list-items.repository.ts';
import { LIST_ITEM_FORMAT } from './incident.list-items.ts';
import * as repo from './incident.repository.ts';
import { createIncidentWrites } from './incident.writes.ts';

const BATCH = 500;

/** Returns how many items were written. */
export async function rebuildListItems(db: Kysely<DB>, clock: () => number): Promise<number> {
  // The same item the write path stores.
  const { listItemRow } = createIncidentWrites(createIncidentQueries({ db, clock }));
  let after = 0;
  let written = 0;
  for (;;) {
    const page = await incidentsWithoutItem(db, LIST_ITEM_FORMAT, after, BATCH);
    if (page.length === 0) return written;
    const ids = page.map((p) => p.id);
    const [rows, targets, pauses] = await Promise.all([repo.findIncidents(db, ids), repo.targetsOf(db, ids), repo.pausesOf(db, ids)]);
    const now = clock();
    const targetsOf = repo.byIncident(targets);
    const pausesOf = repo.byIncident(pauses);
    const items: ListItemRow[] = rows.map((r) => listItemRow(r, targetsOf.get(r.id) ?? [], pausesOf.get(r.id) ?? [], now));
    await insertListItemsIfOlder(db, items);
    written += items.length;
    after = page.at(-1)!.number;
  }
}
