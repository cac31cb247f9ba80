/**
 * Mail that cannot be forged into another client's incident: a random reply token per
 * incident (our acknowledgements and replies carry it as `[#50-k3f9x2q7]`; a reply joins
 * an incident only by our own Message-ID or this token), and the SPF/DKIM/DMARC verdict
 * our own MX recorded in Authentication-Results, kept on each received mail.
 * Frozen once landed: imports only kysely. No bigint column (no SQLite guard triggers needed).
 */
import type { Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_reply_tokens')
    .addColumn('incident_id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull())
    .execute();
  // JSON: {"by": authserv-id, "spf", "dkim", "dmarc", "verdict": pass | fail | none}; null without our MX's header.
  await db.schema.alterTable('mail_messages').addColumn('auth_results', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_messages').dropColumn('auth_results').execute();
  await db.schema.dropTable('mail_reply_tokens').execute();
}
