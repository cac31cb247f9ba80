/**
 * Calendars change with an effective instant: every edit of a calendar's document is a
 * new row here, applied from `effective_from` (epoch ms, never earlier than the edit),
 * and earlier versions stay as they were, so working time already elapsed is never
 * recomputed on a later version. Every existing calendar gets its version 1, effective
 * from 0 (it has always applied). `calendars.document`/`version` keep the newest version.
 * Frozen once landed: imports only kysely. SQLite: the bigint guard triggers of
 * 202612040900_integer_instants for the new table.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_versions')
    .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('effective_from', 'bigint', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_versions_pk', ['calendar_id', 'version'])
    .execute();
  await sql`insert into calendar_versions (calendar_id, version, effective_from, document, note, created_by, created_at)
            select id, 1, 0, document, '', 'system', created_at from calendars`.execute(db);
  await sql`update calendars set version = 1`.execute(db);

  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    const bad = sql`typeof(new."effective_from") not in ('integer', 'null') or typeof(new."created_at") not in ('integer', 'null')`;
    const message = sql.lit('calendar_versions: a bigint column takes whole numbers only');
    await sql`create trigger "calendar_versions_bigint_insert" before insert on "calendar_versions"
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
    await sql`create trigger "calendar_versions_bigint_update" before update on "calendar_versions"
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_versions').execute();
}
