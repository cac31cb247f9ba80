/**
 * Change requests (issue 13): the request, its systems, versioned proposals (immutable
 * once sent), the approval trail (who, when, SHA-256 of the version shown; voided by a
 * later version), the feasibility clock's pauses, a timeline, and per-contract settings
 * (deputies may approve; the confirmation timeout). Frozen once landed: imports only
 * kysely. SQLite: the bigint guard triggers of 202612040900_integer_instants.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

const BIGINTS: Record<string, string[]> = {
  change_requests: [
    'received_at', 'feasibility_at', 'feasibility_due_at', 'feasibility_at_risk_at', 'feasibility_at_risk_fired_at',
    'feasibility_breached_fired_at', 'window_starts_at', 'window_ends_at', 'scheduled_at', 'started_at', 'finished_at',
    'confirmation_due_at', 'confirmed_at', 'closed_at', 'created_at', 'updated_at',
  ],
  change_proposals: ['amount_jpy', 'tax_jpy', 'window_starts_at', 'window_ends_at', 'sent_at', 'created_at', 'updated_at'],
  change_approvals: ['decided_at', 'voided_at'],
  change_request_pauses: ['started_at', 'ended_at'],
  change_request_events: ['at'],
  change_request_settings: ['updated_at'],
};

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('change_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('desired_date', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('requested_by_user_id', 'text')
    .addColumn('requested_by_contact_id', 'text')
    .addColumn('requester_name', 'text')
    .addColumn('requested_by_staff', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source_incident_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sla_policy_id', 'text', (c) => c.notNull())
    .addColumn('sla_policy_version', 'integer', (c) => c.notNull())
    .addColumn('calendar_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('feasibility', 'text')
    .addColumn('feasibility_reason', 'text')
    .addColumn('feasibility_at', 'bigint')
    .addColumn('feasibility_by', 'text')
    .addColumn('feasibility_target', 'text')
    .addColumn('feasibility_due_at', 'bigint')
    .addColumn('feasibility_at_risk_at', 'bigint')
    .addColumn('feasibility_at_risk_fired_at', 'bigint')
    .addColumn('feasibility_breached_fired_at', 'bigint')
    .addColumn('window_starts_at', 'bigint')
    .addColumn('window_ends_at', 'bigint')
    .addColumn('maintenance_window_id', 'text')
    .addColumn('scheduled_at', 'bigint')
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('actual_effort_centi', 'integer')
    .addColumn('result_notes', 'text')
    .addColumn('confirmation_due_at', 'bigint')
    .addColumn('confirmed_at', 'bigint')
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmation_comment', 'text')
    .addColumn('auto_closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('change_requests_client_created').on('change_requests').columns(['client_id', 'created_at']).execute();
  await db.schema.createIndex('change_requests_status').on('change_requests').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('change_request_systems')
    .addColumn('change_request_id', 'text', (c) => c.notNull().references('change_requests.id'))
    .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id'))
    .addPrimaryKeyConstraint('change_request_systems_pk', ['change_request_id', 'system_id'])
    .execute();

  await db.schema
    .createTable('change_proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('change_request_id', 'text', (c) => c.notNull().references('change_requests.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('effort_centi', 'integer', (c) => c.notNull())
    .addColumn('effort_unit', 'text', (c) => c.notNull())
    .addColumn('amount_jpy', 'bigint', (c) => c.notNull())
    .addColumn('tax_rate_percent', 'integer', (c) => c.notNull())
    .addColumn('tax_jpy', 'bigint', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('backout', 'text', (c) => c.notNull())
    .addColumn('window_starts_at', 'bigint')
    .addColumn('window_ends_at', 'bigint')
    .addColumn('affects_service', 'integer', (c) => c.notNull())
    .addColumn('valid_until', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('sent_by', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('change_proposals_version', ['change_request_id', 'version'])
    .execute();

  await db.schema
    .createTable('change_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('change_request_id', 'text', (c) => c.notNull().references('change_requests.id'))
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('change_proposals.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'bigint', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('voided_at', 'bigint')
    .addColumn('void_reason', 'text')
    .execute();
  await db.schema.createIndex('change_approvals_request').on('change_approvals').columns(['change_request_id', 'decided_at']).execute();

  await db.schema
    .createTable('change_request_pauses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('change_request_id', 'text', (c) => c.notNull().references('change_requests.id'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('change_request_pauses_request').on('change_request_pauses').columns(['change_request_id']).execute();

  await db.schema
    .createTable('change_request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('change_request_id', 'text', (c) => c.notNull().references('change_requests.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text')
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('change_request_events_request').on('change_request_events').columns(['change_request_id', 'at']).execute();

  await db.schema
    .createTable('change_request_settings')
    .addColumn('contract_id', 'text', (c) => c.primaryKey().references('contracts.id'))
    .addColumn('deputies_may_approve', 'integer', (c) => c.notNull())
    .addColumn('confirmation_business_days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const [table, cols] of Object.entries(BIGINTS)) {
      const bad = sql.join(cols.map((c) => sql`typeof(new.${sql.ref(c)}) not in ('integer', 'null')`), sql` or `);
      const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
      for (const kind of ['insert', 'update'] as const) {
        await sql`create trigger ${sql.id(`${table}_bigint_${kind}`)} before ${sql.raw(kind)} on ${sql.id(table)}
                  when ${bad} begin select raise(abort, ${message}); end`.execute(db);
      }
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['change_request_settings', 'change_request_events', 'change_request_pauses', 'change_approvals', 'change_proposals', 'change_request_systems', 'change_requests']) {
    await db.schema.dropTable(t).execute();
  }
}
