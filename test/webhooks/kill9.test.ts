/**
 * Exactly once across a crash: incidents are created (their webhook deliveries commit
 * with them) by a desk that is then killed with SIGKILL before any delivery ran; the
 * desk started again delivers each event exactly once, and a further restart sends
 * nothing again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { startReceiver } from '../helpers/receiver.ts';
import { buildWorld } from '../http/world.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-webhook-kill9-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startChild(file: string, key: string, runJobs: boolean): Promise<{ port: number; child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'desk-child.ts')], {
    env: { ...process.env, HOSHU_TEST_DB_FILE: file, HOSHU_SECRET_KEY: key, HOSHU_RUN_JOBS: String(runJobs), HOSHU_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(Number(d.trim())));
    child.once('exit', (code) => reject(new Error(`desk exited early (${code})`)));
  });
  return { port, child, exited };
}

const waitFor = async (cond: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
};

describe('webhooks across kill -9 (SQLite)', () => {
  it('a delivery committed before the crash is sent exactly once after the restart', async () => {
    const file = path.join(dir, 'hoshu.db');
    const key = randomBytes(32).toString('base64');
    const rx = await startReceiver();
    try {
      const setup = createDb({ dialect: 'sqlite', file });
      await migrateToLatest(setup.db);
      const w = await buildWorld(setup.db, Date.now);
      const s = createServices({ db: setup.db, clock: Date.now }, { webhooks: { secretKey: Buffer.from(key, 'base64') } });
      await s.webhooks.create(SYSTEM_ACTOR, { url: `${rx.url}/hook`, allowInsecure: true, eventTypes: ['incident.created'] });
      await setup.close();

      // 1. HTTP only: the incidents and their deliveries commit; nothing is sent; then SIGKILL.
      const first = await startChild(file, key, false);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await fetch(`http://127.0.0.1:${first.port}/api/v1/incidents`, {
          method: 'POST', headers: { ...w.agent.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ contractId: w.a.contractId, title: `障害 ${i}`, channel: 'phone', priority: 'urgent' }),
        });
        expect(r.status).toBe(201);
        ids.push(((await r.json()) as { id: string }).id);
      }
      first.child.kill('SIGKILL');
      await first.exited;
      expect(rx.received).toHaveLength(0);

      // 2. The desk again, with its job runner: every event arrives once.
      const second = await startChild(file, key, true);
      await waitFor(() => rx.received.length >= ids.length, 20_000);
      await new Promise((r) => setTimeout(r, 500));
      second.child.kill('SIGKILL');
      await second.exited;
      const resources = rx.received.map((r) => (JSON.parse(r.body) as { resource: { id: string } }).resource.id);
      expect(resources.sort()).toEqual([...ids].sort());
      expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(ids.length);

      // 3. And once more: nothing is sent again.
      const third = await startChild(file, key, true);
      await new Promise((r) => setTimeout(r, 1500));
      third.child.kill('SIGKILL');
      await third.exited;
      expect(rx.received).toHaveLength(ids.length);
    } finally {
      await rx.close();
    }
  }, 60_000);
});
