/**
 * Outbound webhooks (issue 16): endpoints with their secrets, the events derived from
 * audit entries (with a per-resource sequence), one delivery per event and endpoint
 * (unique pair: exactly one, whatever the number of processes), its attempts, and the
 * escalation rules per contract with the escalations already made.
 * Frozen once landed: imports only kysely. SQLite gets the bigint guard triggers of
 * 202612040900_integer_instants for each new table with bigint columns.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

async function guard(db: AnyDb, table: string, columns: string[]): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const bad = sql.join(columns.map((c) => sql`typeof(new.${sql.id(c)}) not in ('integer', 'null')`), sql` or `);
  const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
  await sql`create trigger ${sql.id(`${table}_bigint_insert`)} before insert on ${sql.id(table)}
            when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  await sql`create trigger ${sql.id(`${table}_bigint_update`)} before update on ${sql.id(table)}
            when ${bad} begin select raise(abort, ${message}); end`.execute(db);
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull()) // standard | slack | teams
    .addColumn('locale', 'text', (c) => c.notNull()) // ja | en
    .addColumn('event_types', 'text', (c) => c.notNull()) // JSON array; [] = every type
    .addColumn('filters', 'text', (c) => c.notNull()) // JSON {clientIds, contractIds, systemIds, priorities, categories}
    .addColumn('allow_insecure', 'integer', (c) => c.notNull()) // http and private addresses (loopback testing)
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('failing_since', 'bigint')
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await guard(db, 'webhook_endpoints', ['failing_since', 'created_at', 'updated_at']);

  await db.schema
    .createTable('webhook_secrets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('sealed', 'text', (c) => c.notNull()) // AES-256-GCM under the desk's secret key
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint') // null = current; else still signed with until then (rotation)
    .execute();
  await db.schema.createIndex('webhook_secrets_endpoint').on('webhook_secrets').columns(['endpoint_id']).execute();
  await guard(db, 'webhook_secrets', ['created_at', 'expires_at']);

  await db.schema
    .createTable('webhook_sequences')
    .addColumn('resource', 'text', (c) => c.primaryKey()) // <type>:<id>
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('client_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull()) // JSON, language-neutral; formats render it per endpoint
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .execute();
  await guard(db, 'webhook_events', ['occurred_at']);

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull()) // pending | succeeded | failed
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_event_endpoint', ['event_id', 'endpoint_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'created_at']).execute();
  await guard(db, 'webhook_deliveries', ['next_attempt_at', 'created_at', 'updated_at']);

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('response_excerpt', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'at']).execute();
  await db.schema.createIndex('webhook_attempts_endpoint').on('webhook_attempts').columns(['endpoint_id', 'at']).execute();
  await guard(db, 'webhook_attempts', ['at']);

  await db.schema
    .createTable('escalation_rules')
    .addColumn('contract_id', 'text', (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull()) // JSON EscalationRules (src/contract/webhooks.ts)
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await guard(db, 'escalation_rules', ['updated_at']);
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['escalation_rules', 'webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_sequences', 'webhook_secrets', 'webhook_endpoints']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
