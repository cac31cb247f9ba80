/**
 * The risk register's acceptance expiry timer (issue 14): `risk_acceptances.expiry_notified_at`,
 * set once when the owner and the accepting contact are told an acceptance lapsed (the
 * conditional update that makes the timer fire once). A migration of its own because
 * 202612050930_risk_register had landed. Frozen once landed: imports only kysely. SQLite: the
 * table's bigint guard triggers are rewritten to cover the new column.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function guards(db: Kysely<any>, cols: string[]): Promise<void> {
  const bad = sql.raw(cols.map((c) => `typeof(new."${c}") not in ('integer', 'null')`).join(' or '));
  const message = sql.lit('risk_acceptances: a bigint column takes whole numbers only');
  for (const kind of ['insert', 'update']) {
    await sql`drop trigger if exists ${sql.id(`risk_acceptances_bigint_${kind}`)}`.execute(db);
    await sql`create trigger ${sql.id(`risk_acceptances_bigint_${kind}`)} before ${sql.raw(kind)} on "risk_acceptances"
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('risk_acceptances').addColumn('expiry_notified_at', 'bigint').execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) await guards(db, ['accepted_at', 'expires_at', 'expiry_notified_at']);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) await guards(db, ['accepted_at', 'expires_at']);
  await db.schema.alterTable('risk_acceptances').dropColumn('expiry_notified_at').execute();
}
