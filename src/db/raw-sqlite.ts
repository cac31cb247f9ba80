/**
 * The better-sqlite3 handle behind a SQLite Kysely instance, for the few reads whose rows
 * are counted in the hundreds of thousands (a month's report): there, Kysely's result
 * objects cost more than SQLite takes to read them, and better-sqlite3's array rows
 * (`raw()`) about half. Use it only inside `db.connection().execute(…)`, which holds the
 * connection the way Kysely's own queries do, so no write unit of the group commit is
 * in flight on it meanwhile (their uncommitted rows would otherwise be visible).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

const handles = new WeakMap<Kysely<DB>, BetterSqlite3.Database>();

/** createDb tells which handle a SQLite Kysely instance runs on. */
export function registerRawSqlite(db: Kysely<DB>, raw: BetterSqlite3.Database): void {
  handles.set(db, raw);
}

/** The handle of a SQLite database (the root instance, not a transaction); null on PostgreSQL. */
export function rawSqliteOf(db: Kysely<DB>): BetterSqlite3.Database | null {
  return handles.get(db) ?? null;
}
