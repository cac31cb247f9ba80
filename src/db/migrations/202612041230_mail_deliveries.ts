/**
 * What happened to each outbound message per recipient: queued when the event that
 * sends it commits, then sent (with the SMTP server's reply to the message) or failed
 * (with the server's refusal or the error — "mail not configured" included), written
 * by the `mail.outbound` job from its own result. A row is keyed by the job's dedupe
 * key (every outbound message has one, unique per message) and the recipient, so a
 * maintenance notice or an incident's acknowledgement finds its delivery without a
 * foreign key into the job table, whose finished rows are pruned after a month.
 * Frozen once landed: imports only kysely. SQLite gets the bigint guard triggers of
 * 202612040900_integer_instants for the new table.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_deliveries')
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // queued | sent | failed
    .addColumn('detail', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('queued_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_deliveries_pk', ['message_key', 'recipient'])
    .execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const bad = sql`typeof(new."queued_at") not in ('integer', 'null') or typeof(new."updated_at") not in ('integer', 'null')`;
  const message = sql.lit('mail_deliveries: a bigint column takes whole numbers only');
  await sql`create trigger "mail_deliveries_bigint_insert" before insert on "mail_deliveries"
            when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  await sql`create trigger "mail_deliveries_bigint_update" before update on "mail_deliveries"
            when ${bad} begin select raise(abort, ${message}); end`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  // Dropping the table drops its triggers on SQLite.
  await db.schema.dropTable('mail_deliveries').ifExists().execute();
}
