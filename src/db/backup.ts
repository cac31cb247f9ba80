/**
 * Online backup of the SQLite file, safe while the desk keeps writing.
 *
 * SQLite's backup API copies pages in steps; when another connection (the
 * serving desk) commits between two steps, the next step starts the copy over.
 * better-sqlite3's default of 100 pages per step therefore never finished on a
 * desk taking a few writes a second. Here the first step only sets the backup up
 * (better-sqlite3 always starts with 0 pages) and the second copies every page
 * at once, inside one read transaction: a consistent snapshot of one instant,
 * however busy the writer. In WAL mode that read transaction blocks no writer.
 *
 * The copy is written to a temporary file beside the destination, checked
 * (`integrity_check`, and that it is a Hoshu database: the migrations table has
 * rows), switched to a self-contained rollback journal, fsynced and only then
 * renamed into place: the destination is either the previous file or a verified
 * backup, never half of one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Kysely's migration table: a file without it (or with it empty) is not a Hoshu database. */
const MIGRATIONS_TABLE = 'kysely_migration';
/** Pages per step after the first: better-sqlite3's largest, i.e. "all of them" (0 would copy nothing, forever). */
const ALL_PAGES = 0x7fffffff;

export type BackupFailure = 'noDatabase' | 'noDirectory' | 'isDirectory' | 'liveFile' | 'verifyFailed';

/** A refusal or failure the CLI explains in the reader's language; `params` fill the message. */
export class BackupError extends Error {
  constructor(readonly reason: BackupFailure, message: string, readonly params: Record<string, string>) {
    super(message);
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  ms: number;
}

/** The path with its directory's symlinks resolved (the file itself need not exist). */
function realTarget(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * The live database's files a backup must never overwrite: the database, its WAL,
 * its shared-memory index and a rollback journal. Compared by resolved path and,
 * where the destination exists, by inode (a hard link is the same file).
 */
export function liveFileTargeted(source: string, destination: string): string | null {
  const live = realTarget(source);
  const dest = realTarget(destination);
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const f = live + suffix;
    if (dest === f || sameFile(destination, f)) return f;
  }
  return null;
}

function removeQuietly(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

/** What is wrong with a copy, or null when it is a sound Hoshu database. */
function verify(file: string): string | null {
  const copy = new Database(file, { fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check') as { integrity_check: string }[];
    if (check.length !== 1 || check[0]!.integrity_check !== 'ok') {
      return `integrity_check: ${check.slice(0, 5).map((r) => r.integrity_check).join('; ')}`;
    }
    const table = copy.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(MIGRATIONS_TABLE);
    if (!table) return `no ${MIGRATIONS_TABLE} table: not a Hoshu database`;
    const n = copy.prepare(`select count(*) as n from ${MIGRATIONS_TABLE}`).get() as { n: number };
    if (n.n === 0) return `${MIGRATIONS_TABLE} is empty: not a migrated Hoshu database`;
    // The source is in WAL mode and the copy says so in its header; a backup should
    // be one file that opens anywhere, even read-only, without -wal/-shm beside it.
    copy.pragma('journal_mode = DELETE');
    return null;
  } finally {
    copy.close();
  }
}

function fsyncPath(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function backupSqlite(source: string, destination: string, now: () => number = Date.now): Promise<BackupResult> {
  const started = now();
  if (!fs.existsSync(source)) throw new BackupError('noDatabase', `no database at ${source}`, { file: source });
  const live = liveFileTargeted(source, destination);
  if (live) {
    throw new BackupError('liveFile', `refusing to back up onto the live database file ${live}`, { file: destination, live });
  }
  const dest = path.resolve(destination);
  const dir = path.dirname(dest);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new BackupError('noDirectory', `no directory ${dir}`, { dir });
  if (fs.existsSync(dest) && fs.statSync(dest).isDirectory()) throw new BackupError('isDirectory', `${dest} is a directory`, { file: dest });
  const tmp = path.join(dir, `.${path.basename(dest)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

  const db = new Database(source, { fileMustExist: true });
  let pages: number;
  try {
    // The desk may hold the write lock for a moment; the backup only needs to read.
    db.pragma('busy_timeout = 5000');
    pages = (await db.backup(tmp, { progress: () => ALL_PAGES })).totalPages;
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  } finally {
    db.close();
  }

  try {
    const problem = verify(tmp);
    if (problem) throw new BackupError('verifyFailed', `the copy failed verification: ${problem}`, { file: destination, reason: problem });
    fsyncPath(tmp);
    fs.renameSync(tmp, dest);
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  }
  try {
    // The rename itself must survive a power cut too (not possible on every platform: best effort).
    fsyncPath(dir);
  } catch {
    /* the backup is in place; only its directory entry may be unsynced */
  }
  return { file: dest, bytes: fs.statSync(dest).size, pages, ms: now() - started };
}
