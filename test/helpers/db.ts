/**
 * A real database per test file, on each dialect in DIALECTS (default
 * "sqlite,postgres"):
 * - SQLite: a file in a temp directory, copied from a template file migrated once per
 *   migration set (its name carries the same hash).
 * - PostgreSQL (127.0.0.1:5432, user postgres, trust; override with
 *   DATABASE_URL_TEST): a fresh database per test file, copied with
 *   CREATE DATABASE … TEMPLATE from a template migrated once per migration set
 *   (its name carries a hash of the migration files, so edits make a new one).
 * If PostgreSQL is unreachable: with CI set, or with a test URL given, the
 * suite fails; otherwise the PostgreSQL runs are skipped with a console message.
 *
 * Usage:
 *   for (const dialect of testDialects) describe(dialect, () => {
 *     const t = useTestDb(dialect);
 *     it('…', async () => { await t.db.selectFrom('clients')… });
 *   });
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Kysely } from 'kysely';
import { createDb, type Database } from '../../src/db/database.ts';
import type { DialectName } from '../../src/db/dialect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { DB } from '../../src/db/schema.ts';

// DATABASE_URL_TEST (as in the README) or HOSHU_TEST_PG_URL: any database on the server; others are created beside it.
const PG_URL_GIVEN = Boolean(process.env.DATABASE_URL_TEST || process.env.HOSHU_TEST_PG_URL);
const PG_ADMIN_URL = process.env.DATABASE_URL_TEST || process.env.HOSHU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const migrationsDir = path.resolve(import.meta.dirname, '../../src/db/migrations');

function pgUrl(database: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function resolveDialects(): Promise<DialectName[]> {
  const wanted = (process.env.DIALECTS ?? 'sqlite,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const d of wanted) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`DIALECTS: unknown dialect "${d}"`);
  const out = wanted as DialectName[];
  if (out.includes('postgres') && !(await postgresReachable())) {
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI but unreachable at ${PG_ADMIN_URL}`);
    // A URL given on purpose means "test on this server": failing beats a silent skip.
    if (PG_URL_GIVEN) throw new Error(`PostgreSQL unreachable at the given test URL ${PG_ADMIN_URL}`);
    console.warn(
      `\n[hoshu tests] PostgreSQL unreachable at ${PG_ADMIN_URL}: skipping the PostgreSQL runs.` +
        ` Start it or set DATABASE_URL_TEST; set DIALECTS=sqlite to silence this.\n`,
    );
    return out.filter((d) => d !== 'postgres');
  }
  return out;
}

/** The dialects this run covers (resolved once per test file). */
export const testDialects: DialectName[] = await resolveDialects();

function migrationsHash(): string {
  const h = crypto.createHash('sha256');
  for (const f of fs.readdirSync(migrationsDir).sort()) {
    h.update(f);
    h.update(fs.readFileSync(path.join(migrationsDir, f)));
  }
  return h.digest('hex').slice(0, 12);
}

/** Advisory-lock key shared by all workers creating templates or copies. */
const LOCK_KEY = 7_301_985;

async function withAdminLock<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    return await fn(client);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

async function ensureTemplate(admin: pg.Client): Promise<string> {
  const name = `hoshu_tpl_${migrationsHash()}`;
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount) return name;
  // Older templates belong to older migration sets; drop them so they do not pile up.
  const old = await admin.query(`select datname from pg_database where datname like 'hoshu_tpl_%'`);
  for (const r of old.rows as { datname: string }[]) {
    await admin.query(`drop database if exists "${r.datname}" with (force)`).catch(() => undefined);
  }
  const building = `${name}_building`;
  await admin.query(`drop database if exists "${building}" with (force)`);
  await admin.query(`create database "${building}"`);
  const d = createDb({ dialect: 'postgres', url: pgUrl(building) }, { poolSize: 1 });
  try {
    await migrateToLatest(d.db);
  } finally {
    await d.close();
  }
  // Renamed only when complete, so a crashed build is never used as a template.
  await admin.query(`alter database "${building}" rename to "${name}"`);
  return name;
}

let sqliteTemplateFile: Promise<string> | undefined;
/**
 * A migrated SQLite file for this migration set, built once per machine and copied per test
 * file (like PostgreSQL's template database): migrating costs ~280 ms, copying ~1 ms, and some
 * sixty files open a SQLite database. Built under a temporary name and renamed when complete,
 * so a worker never copies a half-built file; two workers building at once both end with a
 * complete file under the same name.
 */
function sqliteTemplate(): Promise<string> {
  return (sqliteTemplateFile ??= (async () => {
    const file = path.join(os.tmpdir(), `hoshu-tpl-${migrationsHash()}.db`);
    if (fs.existsSync(file)) return file;
    // Older templates belong to older migration sets (as with PostgreSQL's): do not let them pile up.
    // Never this set's own: another worker may have just finished it and be copying it.
    for (const f of fs.readdirSync(os.tmpdir())) {
      if (/^hoshu-tpl-[0-9a-f]{12}\.db$/.test(f) && path.join(os.tmpdir(), f) !== file) fs.rmSync(path.join(os.tmpdir(), f), { force: true });
    }
    const building = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    const d = createDb({ dialect: 'sqlite', file: building });
    try {
      await migrateToLatest(d.db);
    } finally {
      // Closing the last connection checkpoints the WAL into the file and removes it.
      await d.close();
    }
    fs.renameSync(building, file);
    return file;
  })());
}

export interface TestDb {
  readonly dialect: DialectName;
  readonly db: Kysely<DB>;
  readonly database: Database;
  /** Opens another independent handle (e.g. a second job runner) on the same database. */
  openAnother(): Database;
  /** The database as DATABASE_URL names it (postgres://… or sqlite:/path), e.g. for child processes. */
  readonly url: string;
}

async function createPostgresTestDb(): Promise<{ name: string; url: string }> {
  const name = `hoshu_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await withAdminLock(async (admin) => {
    const template = await ensureTemplate(admin);
    await admin.query(`create database "${name}" template "${template}"`);
  });
  return { name, url: pgUrl(name) };
}

/** Registers beforeAll/afterAll hooks that create a migrated database for this file. */
export function useTestDb(dialect: DialectName): TestDb {
  let database: Database | undefined;
  let url = '';
  const extra: Database[] = [];
  let cleanup: () => Promise<void> = async () => undefined;
  let open: () => Database = () => {
    throw new Error('test database not ready');
  };

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-test-'));
      const file = path.join(dir, 'hoshu.db');
      fs.copyFileSync(await sqliteTemplate(), file);
      open = () => createDb({ dialect: 'sqlite', file });
      url = `sqlite:${file}`;
      database = open();
      // A no-op on the copy (~20 ms): it still proves the copy is at the latest migration.
      await migrateToLatest(database.db);
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const created = await createPostgresTestDb();
      const { name } = created;
      url = created.url;
      open = () => createDb({ dialect: 'postgres', url });
      database = open();
      cleanup = async () => {
        const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
        await admin.query(`drop database if exists "${name}" with (force)`).catch(() => undefined);
        await admin.end();
      };
    }
  });

  afterAll(async () => {
    for (const d of extra) await d.close();
    await database?.close();
    await cleanup();
  });

  return {
    dialect,
    get db() {
      if (!database) throw new Error('test database not ready (use it inside tests or hooks)');
      return database.db;
    },
    get database() {
      if (!database) throw new Error('test database not ready (use it inside tests or hooks)');
      return database;
    },
    get url() {
      if (!url) throw new Error('test database not ready (use it inside tests or hooks)');
      return url;
    },
    openAnother() {
      const d = open();
      extra.push(d);
      return d;
    },
  };
}

/** An empty, unmigrated database of a dialect (for the migration test). */
export async function emptyDatabase(dialect: DialectName): Promise<{ database: Database; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-empty-'));
    const database = createDb({ dialect: 'sqlite', file: path.join(dir, 'hoshu.db') });
    return { database, drop: async () => { await database.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `hoshu_e_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await withAdminLock((admin) => admin.query(`create database "${name}"`));
  const database = createDb({ dialect: 'postgres', url: pgUrl(name) });
  return {
    database,
    drop: async () => {
      await database.close();
      await withAdminLock((admin) => admin.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
