/**
 * Password resets (issue 17). An admin e-mails a user a reset link: its token is a
 * 256-bit secret stored only as SHA-256, used once, and dies after an hour. An admin
 * may instead hand out a one-time password: the user must then choose their own at
 * the next sign-in (users.must_change_password, 1 until they do).
 * Frozen once landed: imports only kysely.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function guardBigints(db: Kysely<any>, table: string, columns: readonly string[]): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const bad = sql.raw(columns.map((c) => `typeof(new."${c}") not in ('integer', 'null')`).join(' or '));
  const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
  for (const kind of ['insert', 'update'] as const) {
    await sql`create trigger ${sql.id(`${table}_bigint_${kind}`)} before ${sql.raw(kind)} on ${sql.id(table)}
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey()) // SHA-256 of the link's token
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('password_resets_user_id_idx').on('password_resets').column('user_id').execute();
  await guardBigints(db, 'password_resets', ['created_at', 'expires_at', 'used_at']);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('password_resets').execute();
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}
