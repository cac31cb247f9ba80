/**
 * Health checks (SPEC §5): monitors per contract system with their live state,
 * check results as run-length runs (one row per stretch of equal results, so a
 * 30-second check does not add a row every 30 seconds), and confirmed outages
 * linked to the incident they opened. Frozen once landed: imports only kysely.
 */
import { sql, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('monitors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('http', 'tcp')`))
    .addColumn('url', 'text')
    .addColumn('host', 'text')
    .addColumn('port', 'integer')
    .addColumn('expected_status', 'integer')
    .addColumn('keyword', 'text')
    .addColumn('keyword_mode', 'text')
    .addColumn('interval_ms', 'integer', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('retries', 'integer', (c) => c.notNull())
    .addColumn('confirm_after', 'integer', (c) => c.notNull())
    .addColumn('recover_after', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    // Live state, written by the checker: up | down | unknown (no result yet or no network).
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('fail_streak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ok_streak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_fail_at', 'bigint')
    .addColumn('last_check_at', 'bigint')
    .addColumn('last_result', 'integer')
    .addColumn('last_latency_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('current_run_id', 'text')
    .addColumn('open_outage_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitors_contract_idx').on('monitors').column('contract_id').execute();
  await db.schema.createIndex('monitors_system_idx').on('monitors').column('system_id').execute();

  await db.schema
    .createTable('monitor_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitor_id', 'text', (c) => c.notNull().references('monitors.id').onDelete('cascade'))
    // 0 up, 1 down, 2 unknown (the core's CHECK_* values)
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('checks', 'integer', (c) => c.notNull())
    .addColumn('interval_ms', 'integer', (c) => c.notNull())
    .addColumn('latency_sum_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_max_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('monitor_runs_monitor_start_idx').on('monitor_runs').columns(['monitor_id', 'started_at']).execute();

  await db.schema
    .createTable('outages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('monitor_id', 'text', (c) => c.notNull().references('monitors.id').onDelete('cascade'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    // Confirmed while a maintenance window was running: recorded, no alert.
    .addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outages_monitor_start_idx').on('outages').columns(['monitor_id', 'started_at']).execute();
  await db.schema.createIndex('outages_contract_start_idx').on('outages').columns(['contract_id', 'started_at']).execute();
  // At most one open outage per monitor, whatever two checkers might race to do.
  await db.schema
    .createIndex('outages_one_open_uq')
    .on('outages')
    .column('monitor_id')
    .unique()
    .where(sql<boolean>`ended_at is null`)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outages', 'monitor_runs', 'monitors']) await db.schema.dropTable(t).ifExists().execute();
}
