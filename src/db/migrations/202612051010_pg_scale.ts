/**
 * PostgreSQL with several app processes (issue 15):
 * - PostgreSQL numbers incidents from a sequence (`incident_number_seq`), started after the
 *   highest number taken so far: the `counters` row was updated inside every creating
 *   transaction and held its row lock until commit, so it serialised every create of the
 *   desk. A sequence never waits; a rolled-back create leaves a gap in the numbers. SQLite
 *   keeps the `counters` row (one writer at a time, nothing to wait for).
 * - `login_failures`: failed sign-ins per account and per address, shared by every app
 *   process (login-throttle.ts); SQLite gets the bigint guard triggers.
 * Frozen once landed: imports only kysely.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (!sqlite) {
    await sql`create sequence incident_number_seq as bigint minvalue 1`.execute(db);
    await sql`select setval('incident_number_seq', greatest(
                (select max(value) from counters where name = 'incident'),
                (select max(number) from incidents), 0) + 1, false)`.execute(db);
  }

  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_key_at_idx').on('login_failures').columns(['key', 'at']).execute();
  await db.schema.createIndex('login_failures_at_idx').on('login_failures').column('at').execute();
  if (sqlite) {
    const bad = sql`typeof(new."at") not in ('integer', 'null')`;
    const message = sql.lit('login_failures: a bigint column takes whole numbers only');
    await sql`create trigger "login_failures_bigint_insert" before insert on "login_failures"
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
    await sql`create trigger "login_failures_bigint_update" before update on "login_failures"
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').ifExists().execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) {
    // Hand the numbering back to the counters row where the sequence left off.
    await sql`insert into counters (name, value) select 'incident', coalesce(max(number), 0) from incidents
              on conflict (name) do update set value = excluded.value`.execute(db);
    await sql`drop sequence if exists incident_number_seq`.execute(db);
  }
}
