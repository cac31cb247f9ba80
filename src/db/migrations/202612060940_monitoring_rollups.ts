/**
 * Monitoring storage that stays small (issue 15): check results older than the retention
 * window (HOSHU_MONITOR_RETENTION_DAYS) leave `monitor_runs` for two rollups written by the
 * `monitoring.rollup` job:
 * - `monitor_intervals`: per monitor, stretches of one state (0 up, 1 down, 2 unknown) from
 *   `started_at` to `ended_at`, exactly the time availability counts each run for; adjacent
 *   stretches of one state are one row, so a row is added only on a transition;
 * - `monitor_daily`: per monitor and UTC day, checks, failures, unknown results and the
 *   latency sum and maximum (the checker starts a new run at UTC midnight, so every run
 *   belongs to one day).
 * Frozen once landed: imports only kysely. SQLite: both tables get the bigint guard triggers.
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
  await db.schema
    .createTable('monitor_intervals')
    .addColumn('monitor_id', 'text', (c) => c.notNull().references('monitors.id').onDelete('cascade'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('monitor_intervals_pk', ['monitor_id', 'started_at'])
    .execute();
  await db.schema
    .createTable('monitor_daily')
    .addColumn('monitor_id', 'text', (c) => c.notNull().references('monitors.id').onDelete('cascade'))
    // Days since 1970-01-01 (UTC).
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('checks', 'integer', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('unknowns', 'integer', (c) => c.notNull())
    .addColumn('latency_sum_ms', 'bigint', (c) => c.notNull())
    .addColumn('latency_max_ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('monitor_daily_pk', ['monitor_id', 'day'])
    .execute();
  // The rollup looks for runs past the retention window by their start.
  await db.schema.createIndex('monitor_runs_started_idx').on('monitor_runs').column('started_at').execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await guardBigints(db, 'monitor_intervals');
    await guardBigints(db, 'monitor_daily');
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('monitor_runs_started_idx').ifExists().execute();
  await db.schema.dropTable('monitor_daily').ifExists().execute();
  await db.schema.dropTable('monitor_intervals').ifExists().execute();
}
