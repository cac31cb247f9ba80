/**
 * An acknowledged write must survive a power cut by default: the desk opens SQLite
 * with synchronous=FULL (the WAL fsynced at every COMMIT) unless the operator
 * chooses HOSHU_SQLITE_SYNC=normal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/database.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-sync-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function synchronousOf(env: Record<string, string>): Promise<unknown> {
  const database = createDb(loadConfig({ HOSHU_DATA_DIR: dir, ...env }).database);
  try {
    return database.sqlite!.pragma('synchronous', { simple: true });
  } finally {
    await database.close();
  }
}

describe('SQLite durability setting', () => {
  it('fsyncs every commit by default (synchronous=FULL) and NORMAL only when asked', async () => {
    expect(await synchronousOf({})).toBe(2);
    expect(await synchronousOf({ HOSHU_SQLITE_SYNC: 'full' })).toBe(2);
    expect(await synchronousOf({ HOSHU_SQLITE_SYNC: 'normal' })).toBe(1);
  });
});
