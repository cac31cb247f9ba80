/**
 * SQLite: every bigint column (instants in epoch ms, counters, sizes) refuses a value that
 * is not an integer, as PostgreSQL's bigint does. Without it SQLite stored an at-risk
 * instant of "…229.25" as a REAL where PostgreSQL refused it with a 500, and the two
 * dialects diverged silently. Values already stored as REAL are rounded up first (an
 * at-risk instant is the first whole millisecond at or after its threshold).
 *
 * SQLite cannot add a CHECK to an existing table without rebuilding it, so the guard is
 * a pair of triggers per table; a later migration that adds a bigint column adds its own
 * (test/db/migrations.test.ts fails on a bigint column without one).
 * Frozen once landed: imports only kysely. PostgreSQL needs nothing.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const found = await sql<{ tbl: string; col: string }>`
    select m.name as tbl, p.name as col
    from sqlite_master m join pragma_table_info(m.name) p
    where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'kysely_%' and lower(p.type) = 'bigint'
    order by m.name, p.cid`.execute(db);
  const byTable = new Map<string, string[]>();
  for (const { tbl, col } of found.rows) byTable.set(tbl, [...(byTable.get(tbl) ?? []), col]);
  for (const [table, cols] of byTable) {
    for (const col of cols) {
      await sql`update ${sql.id(table)} set ${sql.id(col)} = cast(${sql.id(col)} as integer) + (${sql.id(col)} > cast(${sql.id(col)} as integer))
                where typeof(${sql.id(col)}) = 'real'`.execute(db);
    }
    const bad = sql.join(cols.map((c) => sql`typeof(new.${sql.id(c)}) not in ('integer', 'null')`), sql` or `);
    const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
    await sql`create trigger ${sql.id(`${table}_bigint_insert`)} before insert on ${sql.id(table)}
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
    await sql`create trigger ${sql.id(`${table}_bigint_update`)} before update on ${sql.id(table)}
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and name like '%\_bigint\_%' escape '\\'`.execute(db);
  for (const { name } of triggers.rows) await sql`drop trigger ${sql.id(name)}`.execute(db);
}
