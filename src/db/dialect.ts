/**
 * Every difference between SQLite and PostgreSQL lives here: driver set-up,
 * pragmas, type parsers, write-transaction mode and row locking. Repositories
 * write portable SQL and ask this module for the rest.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { HoshuPostgresDialect, type PgCommitHooks } from './pg-driver.ts';
import {
  CompiledQuery,
  PostgresAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type SqliteDatabase,
  SqliteQueryCompiler,
  type QueryCompiler,
  type SelectQueryNode,
} from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

// PostgreSQL returns int8 (bigint) as a string so as not to lose precision; our
// int8 columns hold epoch milliseconds (< 2^53), so numbers are exact and simpler.
// COUNT(*) is int8 too. Set once per process; pg's parser registry is global.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/**
 * SQLite's default BEGIN is DEFERRED: two processes can both start a read and then
 * deadlock when they upgrade to write (SQLITE_BUSY without waiting). BEGIN IMMEDIATE
 * takes the write lock up front and waits out busy_timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Row locks (SELECT … FOR UPDATE) serialise concurrent changes of one row on
 * PostgreSQL. SQLite has no such clause and needs none (one writer at a time),
 * so the compiler drops it: services may ask for a lock without knowing the dialect.
 */
const ROW_LOCK_MODIFIERS = new Set(['ForUpdate', 'ForNoKeyUpdate', 'ForShare', 'ForKeyShare', 'NoWait', 'SkipLocked']);
class SqliteCompilerWithoutRowLocks extends SqliteQueryCompiler {
  protected override visitSelectQuery(node: SelectQueryNode): void {
    const endModifiers = node.endModifiers?.filter((m) => !(m.modifier && ROW_LOCK_MODIFIERS.has(m.modifier)));
    super.visitSelectQuery({ ...node, endModifiers });
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createQueryCompiler(): QueryCompiler {
    return new SqliteCompilerWithoutRowLocks();
  }
}

/**
 * 'full' (default): the WAL is fsynced at every COMMIT before anything is
 * acknowledged, so an acknowledged write survives power loss and OS crashes.
 * 'normal': a commit survives an application crash, but a power loss may roll back
 * the last commits (never corrupts). One fsync per COMMIT once capped a desk at a
 * few hundred writes/s; group commit (write-batch.ts) now shares one COMMIT among
 * concurrent writes, and `bench/sqlite-sync.bench.ts` measured 'full' within the
 * noise of 'normal' at 20 and 50 concurrent clients (docs/benchmarks.md). A lone
 * sequential writer still pays the whole fsync per write.
 */
export type SqliteSync = 'normal' | 'full';

/** The most of the database file SQLite maps into memory for reading (address space, not memory used). */
export const SQLITE_MMAP_BYTES = 1 << 30;

export function openSqlite(file: string, sync: SqliteSync = 'full'): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Another process (the CLI beside the server) may hold the write lock briefly.
  db.pragma('busy_timeout = 5000');
  db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
  // Reads go straight to the file's pages in the OS's cache, not through SQLite's own cache
  // (2 MB by default: a big month's report read 170 MB of pages again on every run, one
  // read() per page). Writes still go through the WAL. docs/operations.md, docs/benchmarks.md.
  db.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
  return db;
}

/**
 * better-sqlite3 compiles a statement on every prepare(); Kysely prepares per query.
 * Our queries come from a fixed set of builders, so a bounded cache of prepared
 * statements by SQL text removes that cost (queries run one at a time on the
 * connection, so a cached statement is never in use twice).
 */
function withStatementCache(raw: Database.Database, capacity = 1000): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = raw.prepare(sqlText);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

export function sqliteDialect(file: string, sync: SqliteSync = 'full'): { dialect: Dialect; raw: Database.Database } {
  const raw = openSqlite(file, sync);
  return { dialect: new ImmediateSqliteDialect({ database: withStatementCache(raw) }), raw };
}

export function postgresDialect(url: string, max = 10, hooks: PgCommitHooks = {}): { dialect: Dialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client whose server connection dies (restart, failover, admin kill) emits
  // 'error' on the pool; unhandled, that would crash the process. The pool drops the
  // client and the next query reconnects, so logging is all there is to do.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL idle connection lost: ${err.message}`);
  });
  // The desk's own driver: fewer round trips per unit, commit hooks (pg-driver.ts).
  return { dialect: new HoshuPostgresDialect(pool, hooks), pool };
}

/** Whether a Kysely instance (or transaction) runs on PostgreSQL, for the few queries that differ. */
export function isPostgres(ex: { getExecutor(): { adapter: unknown } }): boolean {
  return ex.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Suffix for a SELECT that claims rows for update. PostgreSQL workers skip rows
 * another worker holds; SQLite has one writer at a time (BEGIN IMMEDIATE), so
 * nothing is needed there.
 */
export function lockSkipLocked(dialect: DialectName): string {
  return dialect === 'postgres' ? ' for update skip locked' : '';
}

/**
 * Serialises one-time work (seeding) across processes starting at once. PostgreSQL:
 * a transaction-scoped advisory lock; SQLite: the write transaction itself
 * (BEGIN IMMEDIATE) already admits one writer, so nothing is needed.
 */
export function advisoryXactLockSql(dialect: DialectName, key: number): string | null {
  return dialect === 'postgres' ? `select pg_advisory_xact_lock(${Math.trunc(key)})` : null;
}
