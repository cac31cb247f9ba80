/**
 * Webhook deliveries become their own queue (issue 16, the fan-out bench): a delivery row
 * already exists once per event and endpoint and carries its status and next attempt, so
 * the job row that went with each one (written, claimed and completed once per delivery)
 * is dropped. A worker claims due deliveries straight from this table with a lease
 * (`locked_until`, `lock_token`, as the jobs table does) through a partial index of the
 * pending ones by next attempt. Pending `webhook.deliver` jobs are deleted: their
 * deliveries are pending with the same instant and are claimed from here.
 * Frozen once landed: imports only kysely.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const GUARDED = ['next_attempt_at', 'created_at', 'updated_at', 'locked_until'];

async function guard(db: AnyDb, columns: string[]): Promise<void> {
  const table = 'webhook_deliveries';
  const bad = sql.join(columns.map((c) => sql`typeof(new.${sql.id(c)}) not in ('integer', 'null')`), sql` or `);
  const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
  for (const kind of ['insert', 'update'] as const) {
    await sql`drop trigger if exists ${sql.id(`${table}_bigint_${kind}`)}`.execute(db);
    await sql`create trigger ${sql.id(`${table}_bigint_${kind}`)} before ${sql.raw(kind)} on ${sql.id(table)}
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('locked_until', 'bigint').execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('lock_token', 'text').execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['next_attempt_at'])
    .where(sql.ref('status'), '=', 'pending').execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) await guard(db, GUARDED);
  await db.deleteFrom('jobs').where('kind', '=', 'webhook.deliver').where('status', '=', 'pending').execute();
}

export async function down(db: AnyDb): Promise<void> {
  // The deliveries still pending get their job rows back.
  const pending = await db.selectFrom('webhook_deliveries').select(['id', 'next_attempt_at']).where('status', '=', 'pending').execute();
  for (const d of pending as Array<{ id: string; next_attempt_at: number | null }>) {
    const at = Number(d.next_attempt_at ?? Date.now());
    await db.insertInto('jobs').values({
      id: crypto.randomUUID(), kind: 'webhook.deliver', payload: JSON.stringify({ deliveryId: d.id }), run_at: at, status: 'pending',
      attempts: 0, max_attempts: 1000, locked_until: null, lock_token: null, dedupe_key: `webhook:${d.id}`, last_error: null, created_at: at, updated_at: at,
    }).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
  }
  await db.schema.dropIndex('webhook_deliveries_due').execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const kind of ['insert', 'update']) await sql`drop trigger if exists ${sql.id(`webhook_deliveries_bigint_${kind}`)}`.execute(db);
  }
  await db.schema.alterTable('webhook_deliveries').dropColumn('lock_token').execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('locked_until').execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) await guard(db, GUARDED.slice(0, 3));
}
