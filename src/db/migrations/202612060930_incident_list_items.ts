/**
 * Issue 15: each incident's list item stored ready to send (incident.list-items.ts). `body`
 * is the JSON of the item exactly as GET /incidents sends it, with the SLA states that
 * change with "now" cut out (a U+0001 in their place, which JSON text never contains raw);
 * `clocks` holds the warning and breach instants those states are derived from at read
 * time; `live` marks an item whose deadline moves with "now" (a stopped clock), which is
 * presented at read time instead; `format` is the item's layout version (an older one is
 * presented at read time until it is rebuilt). The write path keeps a row exact in the
 * transaction that changes the incident. Existing incidents get theirs when the desk
 * starts (startDesk → rebuildListItems), which needs the presenter and so
 * cannot live in a migration. Frozen once landed: imports only kysely.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_list_items')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('clocks', 'text')
    .addColumn('live', 'integer', (c) => c.notNull())
    .addColumn('format', 'integer', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('incident_list_items').ifExists().execute();
}
