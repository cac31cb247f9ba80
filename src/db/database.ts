/**
 * Opens the database for a configuration: SQLite file (embedded default) or
 * PostgreSQL. Everything above this works against `Kysely<DB>` and never asks
 * which dialect it has, except through `Database.dialect` for locking.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, type Transaction } from 'kysely';
import { FastCamelCasePlugin } from './camel-case.ts';
import type BetterSqlite3 from 'better-sqlite3';
import type { DatabaseConfig } from '../config.ts';
import { postgresDialect, sqliteDialect, type DialectName } from './dialect.ts';
import type { DB } from './schema.ts';
import { PgListener, TABLES_CHANNEL } from './pg-listener.ts';
import { registerTableVersions, TableVersions, TableVersionsPlugin, WATCHED_TABLES } from './table-versions.ts';
import { registerTransactionProbe } from './write-batch.ts';
import { registerRawSqlite } from './raw-sqlite.ts';

/** Repositories take either; services own the transactions. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The better-sqlite3 handle (online backup); null on PostgreSQL. */
  sqlite: BetterSqlite3.Database | null;
  close(): Promise<void>;
}

export function createDb(config: DatabaseConfig, options: { poolSize?: number } = {}): Database {
  const plugins = [new FastCamelCasePlugin()];
  if (config.dialect === 'sqlite') {
    if (config.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(config.file)), { recursive: true });
    const { dialect, raw } = sqliteDialect(config.file, config.synchronous);
    const dataVersion = raw.prepare('pragma data_version').pluck();
    const versions = new TableVersions(() => dataVersion.get() as number);
    // After the camel-case plugin, so it reads the tables' SQL names.
    const db = new Kysely<DB>({ dialect, plugins: [...plugins, new TableVersionsPlugin(versions)] });
    registerTableVersions(db, versions);
    registerTransactionProbe(db, () => raw.inTransaction);
    registerRawSqlite(db, raw);
    return { db, dialect: 'sqlite', sqlite: raw, close: () => db.destroy() };
  }
  // Other processes' commits arrive by LISTEN/NOTIFY; this process's own are counted by the driver at commit.
  const listener = new PgListener(config.url);
  const versions = new TableVersions(() => listener.epoch(), () => listener.sync());
  listener.attach(versions);
  const { dialect } = postgresDialect(config.url, options.poolSize ?? config.poolSize, {
    committed: (tables) => versions.bump(tables),
    watched: (t) => WATCHED_TABLES.has(t),
    notifyChannel: TABLES_CHANNEL,
  });
  const db = new Kysely<DB>({ dialect, plugins });
  registerTableVersions(db, versions);
  return { db, dialect: 'postgres', sqlite: null, close: async () => { await listener.close(); await db.destroy(); } };
}
