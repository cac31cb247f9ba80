/**
 * E-mail channel: every received message with its raw source (stored before the
 * mailbox is flagged), the thread index (Message-IDs of incidents, both ways),
 * address routes to contracts, per-contract mail settings, the outbound log (loop
 * guard) and the per-mailbox intake state (alerts).
 * Frozen once landed: imports only kysely. Instants are epoch ms (bigint).
 */
import type { Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull()) // imap | smtp
    .addColumn('mailbox', 'text', (c) => c.notNull()) // imap://user@host/INBOX or smtp
    .addColumn('uid_validity', 'bigint')
    .addColumn('uid', 'bigint')
    .addColumn('message_id', 'text')
    .addColumn('envelope_from', 'text')
    .addColumn('envelope_to', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull()) // base64 of the exact bytes
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('subject', 'text')
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('contract_id', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('mail_messages_mailbox_uid_uq', ['mailbox', 'uid_validity', 'uid'])
    .execute();
  await db.schema.createIndex('mail_messages_message_id_idx').on('mail_messages').column('message_id').execute();
  await db.schema.createIndex('mail_messages_status_idx').on('mail_messages').columns(['status', 'received_at']).execute();
  await db.schema.createIndex('mail_messages_incident_idx').on('mail_messages').column('incident_id').execute();

  await db.schema
    .createTable('mail_thread_ids')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull()) // in | out
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_routes')
    .addColumn('address', 'text', (c) => c.primaryKey()) // lower-cased recipient address
    .addColumn('contract_id', 'text') // null: the triage queue
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_contract_settings')
    .addColumn('contract_id', 'text', (c) => c.primaryKey())
    .addColumn('acknowledge', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('ja'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_outbound')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // ack | reply
    .addColumn('incident_id', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_outbound_to_idx').on('mail_outbound').columns(['to_address', 'kind', 'created_at']).execute();

  await db.schema
    .createTable('mail_intake_state')
    .addColumn('mailbox', 'text', (c) => c.primaryKey())
    .addColumn('consecutive_errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'bigint')
    .addColumn('last_ok_at', 'bigint')
    .addColumn('alert_since', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['mail_intake_state', 'mail_outbound', 'mail_contract_settings', 'mail_routes', 'mail_thread_ids', 'mail_messages']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
