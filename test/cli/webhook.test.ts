/**
 * `hoshu webhook test ID` against a real receiver on loopback: the endpoint gets a signed
 * test event at once, the command prints the answer and exits 0; a refusing endpoint
 * makes it exit 1 with the status. SQLite, real processes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { composeServices, openDatabase } from '../../src/main.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { startReceiver } from '../helpers/receiver.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-cli-webhook-'));
const { DATABASE_URL: _ignored, ...baseEnv } = process.env;
const env = { ...baseEnv, HOSHU_DATA_DIR: dir, LOG_LEVEL: 'warn', LANG: 'C.UTF-8' };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hoshu webhook test', () => {
  it('sends a test event now and reports the answer', async () => {
    const rx = await startReceiver((r) => (r.path === '/no' ? { status: 400, body: 'bad signature' } : { status: 200 }));
    try {
      const config = loadConfig(env);
      const { database } = await openDatabase(config);
      const s = composeServices(database, config, Date.now);
      const ok = await s.webhooks.create(SYSTEM_ACTOR, { url: `${rx.url}/yes`, allowInsecure: true });
      const no = await s.webhooks.create(SYSTEM_ACTOR, { url: `${rx.url}/no`, allowInsecure: true });
      await database.close();

      const r = await run(tsx, ['src/cli/main.ts', 'webhook', 'test', ok.endpoint.id], { cwd: root, env });
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'succeeded', httpStatus: 200 });
      expect(r.stderr).toMatch(/answered 200/);
      expect(rx.received.filter((x) => x.path === '/yes')).toHaveLength(1);
      expect(JSON.parse(rx.received[0]!.body)).toMatchObject({ type: 'webhook.test', resource: { type: 'webhook_endpoint', id: ok.endpoint.id } });

      const bad = await run(tsx, ['src/cli/main.ts', 'webhook', 'test', no.endpoint.id], { cwd: root, env }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      expect((bad as { code: number }).code).toBe(1);
      expect(bad.stderr).toContain('400');
      expect(bad.stderr).toContain('bad signature');

      const list = await run(tsx, ['src/cli/main.ts', 'webhook', 'list'], { cwd: root, env });
      expect(list.stdout).toContain(`${ok.endpoint.id}\tenabled\tstandard\t${rx.url}/yes`);
      const listJa = await run(tsx, ['src/cli/main.ts', 'webhook', 'list'], { cwd: root, env: { ...env, LANG: 'ja_JP.UTF-8' } });
      expect(listJa.stdout).toContain(`${ok.endpoint.id}\t有効\tstandard\t${rx.url}/yes`);
    } finally {
      await rx.close();
    }
  }, 60_000);
});
