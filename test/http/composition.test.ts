/**
 * One composition root: a serving desk builds each service once and hands it to HTTP,
 * the job runner and the mail intake (one incident service, so one read cache and one
 * policy cache per process); and that one cache stays exact when ANOTHER process writes
 * to the same SQLite file (a CLI beside the server).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startDesk } from '../../src/main.ts';
import { createApiToken } from '../../src/modules/auth/auth.service.ts';
import { incidentServicesBuilt } from '../../src/modules/incidents/incident.service.ts';
import { TestClock, makeUser, makeWorld } from '../helpers/factories.ts';

describe('a serving desk (SQLite)', () => {
  it('builds exactly one incident service, and its list cache agrees with a second process\'s write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-compose-'));
    try {
      const config = loadConfig({ HOSHU_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', HOSHU_RUN_JOBS: 'true' });
      const before = incidentServicesBuilt;
      const desk = await startDesk(config, { log: pino({ level: 'silent' }) });
      try {
        // HTTP, the SLA timers, the monitoring jobs and the mail intake all share it.
        expect(incidentServicesBuilt - before).toBe(1);

        // Test data written beside the desk (its own services, like a CLI command would).
        const w = await makeWorld(desk.database.db, new TestClock(Date.now()));
        const agent = await makeUser(desk.database.db, 'agent');
        const { token } = await createApiToken(desk.database.db, { userId: agent.userId });
        const list = async () => {
          const r = await fetch(`${desk.url}/api/v1/incidents?limit=200`, { headers: { authorization: `Bearer ${token}` } });
          expect(r.status).toBe(200);
          return ((await r.json()) as { items: Array<{ number: number; title: string }> }).items;
        };
        await w.s.incidents.create(w.agent, { contractId: w.contract.id, title: '最初の障害', channel: 'phone', priority: 'important' });
        const first = await list();
        expect(first.map((i) => i.title)).toEqual(['最初の障害']);
        // Read twice: the second answer comes from the desk's exact cache.
        expect(await list()).toEqual(first);

        const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'write-child.ts')], {
          env: { ...process.env, HOSHU_TEST_DB_FILE: config.database.dialect === 'sqlite' ? config.database.file : '', HOSHU_TEST_CONTRACT: w.contract.id },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        expect(await new Promise<number | null>((resolve) => child.once('exit', resolve))).toBe(0);
        const number = Number(out.trim());

        // The other process's commit is seen at once (PRAGMA data_version), not after some expiry.
        const after = await list();
        expect(after.map((i) => i.number)).toContain(number);
        expect(after.find((i) => i.number === number)?.title).toBe('別プロセスから登録');
        expect(incidentServicesBuilt - before).toBe(2); // the test's own makeWorld built one more, the desk none
      } finally {
        await desk.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
