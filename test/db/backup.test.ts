/**
 * `hoshu backup` on a desk that keeps writing: the copy finishes in seconds while
 * another process commits well over 500 transactions a second, passes
 * integrity_check, and holds every row committed before the backup began. A
 * backup onto the live database's own files is refused with a translated message
 * and exit code 2, and a copy that fails verification never replaces the file
 * that was there. SQLite only (PostgreSQL backups are pg_dump's job).
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupSqlite, BackupError } from '../../src/db/backup.ts';
import { createDb } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-backup-'));
const file = path.join(dir, 'hoshu.db');
const { DATABASE_URL: _ignored, ...baseEnv } = process.env;
const env = { ...baseEnv, HOSHU_DATA_DIR: dir, LOG_LEVEL: 'warn', LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

function cli(args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const p = execFile(tsx, ['src/cli/main.ts', ...args], { cwd: root, env: { ...env, ...extraEnv }, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, _out, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr, ms: Date.now() - started });
    });
    p.stdin?.end();
  });
}

const count = (d: Database.Database, sql: string) => (d.prepare(sql).get() as { n: number }).n;

beforeAll(async () => {
  const setup = createDb({ dialect: 'sqlite', file });
  await migrateToLatest(setup.db);
  // About 10 MB, so the copy spans thousands of pages: with the old 100-pages-a-step
  // backup, every commit in between started it over and it never finished.
  const raw = setup.sqlite!;
  const insert = raw.prepare("insert into jobs (id, kind, payload, run_at, status, max_attempts, created_at, updated_at) values (?, 'test.history', ?, 1, 'done', 1, 1, 1)");
  const payload = JSON.stringify({ note: 'y'.repeat(400) });
  raw.transaction(() => {
    for (let i = 0; i < 20_000; i++) insert.run(`history-${i}`, payload);
  })();
  await setup.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hoshu backup (SQLite)', () => {
  it('finishes within seconds while another process commits ≥ 500 writes/s, and the copy is sound and complete', async () => {
    const writer = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'backup-writer.ts')], {
      env: { ...process.env, HOSHU_TEST_DB_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let committed = 0;
    writer.stdout.setEncoding('utf8').on('data', (d: string) => {
      const last = d.trim().split('\n').at(-1);
      if (last) committed = Number(last);
    });
    const exited = new Promise<void>((resolve) => writer.once('exit', () => resolve()));
    try {
      // Let the writer reach full speed first.
      while (committed < 2_000) await new Promise((r) => setTimeout(r, 20));
      const before = committed;
      const startedAt = Date.now();
      const target = path.join(dir, 'under-load.db');
      const r = await cli(['backup', target]);
      const during = committed - before;
      const seconds = (Date.now() - startedAt) / 1000;
      console.log(`backup under load: ${r.ms} ms including start-up, ${(during / seconds).toFixed(0)} commits/s meanwhile; ${r.stderr.trim()}`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('integrity check passed');
      // The load really was there the whole time the backup ran.
      expect(during / seconds).toBeGreaterThan(500);
      // Process start-up (tsx) included; the copy itself is well under a second.
      expect(r.ms).toBeLessThan(20_000);

      const copy = new Database(target, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        // One self-contained file: opens read-only without a -wal beside it.
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        const migrations = fs.readdirSync(path.join(root, 'src/db/migrations')).filter((n) => /^\d{12}_.+\.ts$/.test(n));
        expect(count(copy, 'select count(*) as n from kysely_migration')).toBe(migrations.length);
        expect(count(copy, "select count(*) as n from jobs where kind = 'test.history'")).toBe(20_000);
        expect(count(copy, "select count(*) as n from jobs where kind = 'test.backup-load'")).toBeGreaterThanOrEqual(before);
      } finally {
        copy.close();
      }
      // Nothing but the backup is left behind in the directory.
      expect(fs.readdirSync(dir).filter((f) => f.includes('under-load'))).toEqual(['under-load.db']);
    } finally {
      writer.kill('SIGKILL');
      await exited;
    }
  }, 90_000);

  it('refuses to write onto the live database or its -wal/-shm, in the reader\'s language, with exit code 2', async () => {
    const liveBefore = fs.readFileSync(file);
    const ja = await cli(['backup', file], { LANG: 'ja_JP.UTF-8' });
    expect(ja.code).toBe(2);
    expect(ja.stderr).toContain('稼働中のデータベースへの上書きは行いません');
    const en = await cli(['backup', path.join(dir, '.', 'hoshu.db-wal')]);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('refusing to back up onto the live database');
    expect(en.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.readFileSync(file).equals(liveBefore)).toBe(true);

    // The same file by another name: a symlink and a hard link.
    fs.symlinkSync(file, path.join(dir, 'link.db'));
    fs.linkSync(file, path.join(dir, 'hard.db'));
    for (const target of [path.join(dir, 'link.db'), path.join(dir, 'hard.db'), `${file}-shm`, path.join(dir, '..', path.basename(dir), 'hoshu.db')]) {
      await expect(backupSqlite(file, target), target).rejects.toMatchObject({ reason: 'liveFile' });
    }
    expect(fs.readFileSync(file).equals(liveBefore)).toBe(true);
  }, 60_000);

  it('never replaces an existing backup with a copy that fails verification', async () => {
    // A SQLite file that is not a Hoshu database (no migrations): the copy is made, checked, and thrown away.
    const foreign = path.join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('create table t (x); insert into t values (1);');
    f.close();
    const target = path.join(dir, 'previous-backup.db');
    fs.writeFileSync(target, 'yesterday');
    const err = await backupSqlite(foreign, target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect((err as BackupError).reason).toBe('verifyFailed');
    expect(fs.readFileSync(target, 'utf8')).toBe('yesterday');
    expect(fs.readdirSync(dir).filter((n) => n.includes('previous-backup'))).toEqual(['previous-backup.db']);
  });

  it('explains a missing directory instead of failing with a stack trace', async () => {
    const r = await cli(['backup', path.join(dir, 'no-such-dir', 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
  }, 60_000);
});
