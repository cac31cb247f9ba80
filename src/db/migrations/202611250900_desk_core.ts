/**
 * Desk core: clients, contacts, systems, calendars, versioned SLA policies,
 * contracts, incidents with per-target SLA clocks, pauses and timeline, the
 * append-only audit log, the job table and counters.
 * Frozen once landed: imports only kysely. Instants are epoch ms (bigint),
 * flags integer 0/1, dates 'YYYY-MM-DD' text, documents JSON text.
 */
import { sql, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_kana', 'text')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_client_id_idx').on('contacts').column('client_id').execute();
  await db.schema.createIndex('contacts_email_idx').on('contacts').column('email').execute();

  await db.schema
    .createTable('systems')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('systems_client_id_idx').on('systems').column('client_id').execute();

  await db.schema
    .createTable('calendars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('established_on', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sla_policy_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull().references('sla_policies.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('revised_on', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('sla_policy_versions_policy_version_uq', ['policy_id', 'version'])
    .execute();

  await db.schema
    .createTable('contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text')
    .addColumn('contracted_users', 'integer')
    .addColumn('sla_policy_id', 'text', (c) => c.notNull().references('sla_policies.id'))
    .addColumn('sla_policy_version', 'integer', (c) => c.notNull())
    .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id'))
    .addColumn('backup_window_start', 'text')
    .addColumn('backup_window_end', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('in_scope_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('out_of_scope_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contracts_client_id_idx').on('contracts').column('client_id').execute();

  await db.schema
    .createTable('contract_systems')
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id'))
    .addPrimaryKeyConstraint('contract_systems_pk', ['contract_id', 'system_id'])
    .execute();

  await db.schema
    .createTable('contract_contacts')
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('contract_contacts_pk', ['contract_id', 'contact_id'])
    .execute();
  // One primary designated contact (窓口) per contract, enforced by the database.
  await db.schema
    .createIndex('contract_contacts_one_primary_uq')
    .on('contract_contacts')
    .column('contract_id')
    .unique()
    .where(sql<boolean>`is_primary = 1`)
    .execute();

  await db.schema
    .createTable('contract_engineers')
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contract_engineers_pk', ['contract_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('system_id', 'text', (c) => c.references('systems.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('suggested_priority', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('in_scope', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('out_of_scope_reason', 'text')
    .addColumn('billable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('assignee_id', 'text')
    .addColumn('reporter_contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_email', 'text')
    .addColumn('not_via_designated_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sla_policy_id', 'text', (c) => c.notNull().references('sla_policies.id'))
    .addColumn('sla_policy_version', 'integer', (c) => c.notNull())
    .addColumn('calendar_id', 'text', (c) => c.notNull().references('calendars.id'))
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('recognized_at', 'bigint')
    .addColumn('started_at', 'bigint')
    .addColumn('proposed_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('resolution_cause', 'text')
    .addColumn('resolution_fix', 'text')
    .addColumn('resolution_course', 'text')
    .addColumn('next_timer_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incidents_client_number_idx').on('incidents').columns(['client_id', 'number']).execute();
  await db.schema.createIndex('incidents_contract_id_idx').on('incidents').column('contract_id').execute();
  await db.schema.createIndex('incidents_status_idx').on('incidents').column('status').execute();
  await db.schema.createIndex('incidents_next_timer_at_idx').on('incidents').column('next_timer_at').execute();
  await db.schema.createIndex('incidents_assignee_id_idx').on('incidents').column('assignee_id').execute();

  await db.schema
    .createTable('incident_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('anchor', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('business_hours', 'integer', (c) => c.notNull())
    .addColumn('pausable', 'integer', (c) => c.notNull())
    .addColumn('clock_start', 'bigint')
    .addColumn('due_at', 'bigint')
    .addColumn('at_risk_at', 'bigint')
    .addColumn('met_at', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('at_risk_fired_at', 'bigint')
    .addColumn('breached_fired_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('incident_targets_incident_kind_uq', ['incident_id', 'kind'])
    .execute();
  await db.schema.createIndex('incident_targets_due_at_idx').on('incident_targets').column('due_at').execute();

  await db.schema
    .createTable('incident_pauses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('ended_by', 'text')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('incident_pauses_incident_id_idx').on('incident_pauses').column('incident_id').execute();

  await db.schema
    .createTable('incident_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text')
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('incident_events_incident_at_idx').on('incident_events').columns(['incident_id', 'at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity', 'entity_id', 'at']).execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('lock_token', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Only pending jobs are ever swept: a partial index keeps the sweep's cost
  // proportional to due work, not to the history of done jobs.
  await db.schema
    .createIndex('jobs_pending_run_at_idx')
    .on('jobs')
    .column('run_at')
    .where(sql<boolean>`status = 'pending'`)
    .execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'counters', 'jobs', 'audit_log', 'incident_events', 'incident_pauses', 'incident_targets', 'incidents',
    'contract_engineers', 'contract_contacts', 'contract_systems', 'contracts', 'sla_policy_versions',
    'sla_policies', 'calendars', 'systems', 'contacts', 'clients',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
