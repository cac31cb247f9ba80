/**
 * Group commit acknowledges a create only after its transaction has committed: kill
 * the serving process with SIGKILL while creates are in flight, open the database
 * again, and every incident whose 201 reached the client is there (and nothing is
 * half-written: each has its targets and its timeline entry).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { buildWorld } from '../http/world.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-kill9-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kill -9 during concurrent incident creates (SQLite)', () => {
  it('every acknowledged incident survives, complete', async () => {
    const file = path.join(dir, 'hoshu.db');
    const setup = createDb({ dialect: 'sqlite', file });
    await migrateToLatest(setup.db);
    const w = await buildWorld(setup.db, Date.now);
    await setup.close();

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'serve-child.ts')], {
      env: { ...process.env, HOSHU_TEST_DB_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding('utf8').once('data', (d: string) => resolve(Number(d.trim())));
      child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

    const acknowledged: string[] = [];
    let killed = false;
    const post = async (i: number) => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/incidents`, {
          method: 'POST',
          headers: { ...w.agent.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ contractId: w.a.contractId, title: `障害 ${i}`, channel: 'phone', priority: 'urgent' }),
        });
        if (r.status === 201) acknowledged.push(((await r.json()) as { id: string }).id);
      } catch {
        // The connection died with the server: not acknowledged.
      }
    };
    // 30 clients keep creating until the server is killed, shortly after 300 acknowledgements.
    await Promise.all(Array.from({ length: 30 }, async (_, c) => {
      for (let i = 0; !killed; i++) {
        await post(c * 100_000 + i);
        if (!killed && acknowledged.length >= 300) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    }));
    await exited;

    const after = createDb({ dialect: 'sqlite', file });
    try {
      const ids = new Set((await after.db.selectFrom('incidents').select('id').execute()).map((r) => r.id));
      expect(acknowledged.length).toBeGreaterThanOrEqual(300);
      expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
      // Whatever is there is whole: every incident has its two targets and its "created" entry.
      const targets = await after.db.selectFrom('incidentTargets').select((eb) => ['incidentId', eb.fn.countAll<number>().as('n')]).groupBy('incidentId').execute();
      const events = await after.db.selectFrom('incidentEvents').select('incidentId').where('kind', '=', 'created').execute();
      expect(targets.filter((t) => Number(t.n) !== 2)).toEqual([]);
      expect(new Set(targets.map((t) => t.incidentId))).toEqual(ids);
      expect(new Set(events.map((e) => e.incidentId))).toEqual(ids);
    } finally {
      await after.close();
    }
  });
});
