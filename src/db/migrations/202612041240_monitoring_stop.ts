/**
 * Monitoring that stops ends its outage (issue 11 item 7): a monitor can be deleted
 * (soft: `deleted_at`, so its runs and outages still count in availability), and an
 * outage records how it ended (`ended_by`: recovered | monitor_disabled | monitor_deleted
 * | manual, with the agent's `end_reason` for a manual close). Outages that already
 * ended were ended by recovery, the only way there was.
 * The status page settings of a contract (which incidents the public page lists).
 * Frozen once landed: imports only kysely. SQLite: the monitors table's bigint guard
 * triggers are re-created over all its bigint columns, and the new table gets its pair.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function guardBigints(db: Kysely<any>, table: string): Promise<void> {
  const found = await sql<{ col: string }>`select name as col from pragma_table_info(${table}) where lower(type) = 'bigint' order by cid`.execute(db);
  const cols = found.rows.map((r) => r.col);
  const bad = sql.join(cols.map((c) => sql`typeof(new.${sql.id(c)}) not in ('integer', 'null')`), sql` or `);
  const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
  for (const kind of ['insert', 'update'] as const) {
    const name = `${table}_bigint_${kind}`;
    await sql`drop trigger if exists ${sql.id(name)}`.execute(db);
    await sql`create trigger ${sql.id(name)} before ${sql.raw(kind)} on ${sql.id(table)}
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('monitors').addColumn('deleted_at', 'bigint').execute();
  await db.schema.alterTable('outages').addColumn('ended_by', 'text').execute();
  await db.schema.alterTable('outages').addColumn('end_reason', 'text').execute();
  await db.updateTable('outages').set({ ended_by: 'recovered' }).where('ended_at', 'is not', null).execute();
  // none | outage | all: which incidents of the last 30 days the public status page lists.
  await db.schema
    .createTable('status_page_settings')
    .addColumn('contract_id', 'text', (c) => c.primaryKey())
    .addColumn('incidents', 'text', (c) => c.notNull().defaultTo('outage'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await guardBigints(db, 'monitors');
    await guardBigints(db, 'status_page_settings');
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.dropTable('status_page_settings').execute();
  await db.schema.alterTable('outages').dropColumn('end_reason').execute();
  await db.schema.alterTable('outages').dropColumn('ended_by').execute();
  if (sqlite) {
    // SQLite cannot drop a column a trigger names: drop the guard, then put it back without it.
    await sql`drop trigger if exists monitors_bigint_insert`.execute(db);
    await sql`drop trigger if exists monitors_bigint_update`.execute(db);
  }
  await db.schema.alterTable('monitors').dropColumn('deleted_at').execute();
  if (sqlite) await guardBigints(db, 'monitors');
}
