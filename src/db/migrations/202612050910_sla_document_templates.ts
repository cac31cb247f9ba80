/**
 * The SLA document's templates (SPEC §2 "SLA document"): one Mustache template per
 * language, stored with the SLA policy version it was written for. A version without
 * its own row uses the newest row of an earlier version of the same policy (so a
 * revision of the targets keeps the wording), and a policy without any row uses the
 * built-in template of the language. Editing a template writes a new policy version.
 * Frozen once landed: imports only kysely. SQLite: the bigint guard triggers of
 * 202612040900_integer_instants for the new table.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sla_policy_templates')
    .addColumn('policy_id', 'text', (c) => c.notNull().references('sla_policies.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_policy_templates_pk', ['policy_id', 'version', 'lang'])
    .execute();

  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    const bad = sql`typeof(new."created_at") not in ('integer', 'null')`;
    const message = sql.lit('sla_policy_templates: a bigint column takes whole numbers only');
    await sql`create trigger "sla_policy_templates_bigint_insert" before insert on "sla_policy_templates"
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
    await sql`create trigger "sla_policy_templates_bigint_update" before update on "sla_policy_templates"
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sla_policy_templates').execute();
}
