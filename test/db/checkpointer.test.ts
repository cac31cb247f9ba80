/** WAL checkpoints on a worker thread: the WAL's pages reach the database file without the writer copying them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/db/checkpointer.ts';
import { createDb, type Database } from '../../src/db/database.ts';

const dirs: string[] = [];
const opened: Database[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function openTemp(): { database: Database; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-ckpt-'));
  dirs.push(dir);
  const file = path.join(dir, 'hoshu.db');
  const database = createDb({ dialect: 'sqlite', file });
  opened.push(database);
  database.sqlite!.exec('create table notes (id integer primary key, body text not null)');
  return { database, file };
}

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('background WAL checkpoints', () => {
  it('the worker copies committed pages into the database file; the writer keeps a high threshold, then SQLite\'s default after stop', async () => {
    const { database, file } = openTemp();
    const raw = database.sqlite!;
    const cp = startCheckpointer(raw, file, { intervalMs: 50 });
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    const before = fs.statSync(file).size;
    const insert = raw.prepare('insert into notes (body) values (?)');
    const body = 'x'.repeat(2000);
    // About 8 MB: well below the writer's own threshold of 10,000 pages, so only the worker checkpoints.
    for (let b = 0; b < 40; b++) raw.transaction(() => { for (let i = 0; i < 100; i++) insert.run(body); })();
    await until(() => fs.statSync(file).size > before + 7_000_000);
    await cp.stop();
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(raw.prepare('select count(*) from notes').pluck().get()).toBe(4000);
  });

  it('a worker that cannot open the database reports it and leaves the writer on SQLite\'s default', async () => {
    const { database } = openTemp();
    const errors: string[] = [];
    const cp = startCheckpointer(database.sqlite!, '/nonexistent/dir/hoshu.db', { onError: (m) => errors.push(m) });
    await until(() => errors.length > 0);
    await cp.stop();
    expect(errors[0]).toMatch(/directory does not exist|unable to open|no such file/i);
    expect(database.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
