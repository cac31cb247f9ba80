/**
 * Planned maintenance (SPEC §4): per-contract notice settings and the public
 * token of its ICS feed and status page, recurring series, concrete windows
 * (one-off, emergency, and the stored occurrences of series) and the record of
 * who was notified when. Frozen once landed: imports only kysely.
 * Instants are epoch ms (bigint); JSON documents are text.
 */
import { sql, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('maintenance_settings')
    .addColumn('contract_id', 'text', (c) => c.primaryKey().references('contracts.id').onDelete('cascade'))
    .addColumn('notice_business_days', 'integer', (c) => c.notNull().defaultTo(2))
    // SHA-256 of the public token (ICS feed and status page); null = not published.
    .addColumn('public_token_hash', 'text', (c) => c.unique())
    .addColumn('public_token_prefix', 'text')
    .addColumn('published_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('maintenance_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('system_id', 'text', (c) => c.references('systems.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('repeat', 'text', (c) => c.notNull())
    .addColumn('first_date', 'text', (c) => c.notNull())
    .addColumn('until', 'text')
    .addColumn('count', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'cancelled')`))
    .addColumn('announced_at', 'bigint', (c) => c.notNull())
    .addColumn('materialized_until', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('maintenance_series_contract_idx').on('maintenance_series').column('contract_id').execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('system_id', 'text', (c) => c.references('systems.id'))
    .addColumn('series_id', 'text', (c) => c.references('maintenance_series.id'))
    .addColumn('occurrence_index', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('planned', 'emergency', 'recurring')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'announced', 'cancelled')`))
    .addColumn('announced_at', 'bigint')
    .addColumn('notice_deadline_at', 'bigint')
    .addColumn('notice_in_time', 'integer')
    .addColumn('emergency_reason', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('actual_start', 'bigint')
    .addColumn('actual_end', 'bigint')
    // RFC 5545 SEQUENCE: bumped on every change the client is told about.
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('maintenance_windows_end_after_start', sql`ends_at > starts_at`)
    .addUniqueConstraint('maintenance_windows_series_index_uq', ['series_id', 'occurrence_index'])
    .execute();
  await db.schema.createIndex('maintenance_windows_contract_start_idx').on('maintenance_windows').columns(['contract_id', 'starts_at']).execute();
  await db.schema.createIndex('maintenance_windows_client_idx').on('maintenance_windows').column('client_id').execute();

  await db.schema
    .createTable('maintenance_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('window_id', 'text', (c) => c.references('maintenance_windows.id'))
    .addColumn('series_id', 'text', (c) => c.references('maintenance_series.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('notified_at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('maintenance_notices_window_idx').on('maintenance_notices').column('window_id').execute();
  await db.schema.createIndex('maintenance_notices_series_idx').on('maintenance_notices').column('series_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['maintenance_notices', 'maintenance_windows', 'maintenance_series', 'maintenance_settings']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
