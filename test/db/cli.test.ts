/**
 * The README path on a fresh data directory: `hoshu start` migrates, loads demo
 * data, prints credentials and serves; `hoshu token create` prints a bearer
 * token that lists incidents with deadlines; `hoshu backup` snapshots the live
 * SQLite file. Real processes, real HTTP, SQLite only (the embedded default).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { HOSHU_BIN } from '../helpers/cli.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-cli-'));
// The embedded default: no DATABASE_URL, whatever the developer's shell has.
const { DATABASE_URL: _ignored, ...baseEnv } = process.env;
const env = { ...baseEnv, HOSHU_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'warn' };

let server: ChildProcess | null = null;
afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('hoshu CLI on SQLite', () => {
  it('start → token create → GET /api/v1/incidents → backup', async () => {
    server = spawn(process.execPath, [HOSHU_BIN, 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 120 s:\n${out}`)), 120_000);
      const onData = (b: Buffer) => {
        out += b.toString();
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
      server!.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
    });
    expect(out).toMatch(/agent\s+agent@hoshu\.example\s+\S{8,}/);
    expect(fs.existsSync(path.join(dir, 'hoshu.db'))).toBe(true);

    // Through bin/hoshu.js, as `npx hoshu` runs it (the prebuilt sla bundle must not take desk commands).
    const { stdout: token } = await run(process.execPath, [HOSHU_BIN, 'token', 'create', '--email', 'agent@hoshu.example'], { cwd: root, env });
    expect(token.trim()).toMatch(/^hoshu_\S+$/);
    const res = await fetch(`${url}/api/v1/incidents`, { headers: { authorization: `Bearer ${token.trim()}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { targets: { dueAt: unknown; state: string }[] }[] };
    expect(body.items.length).toBeGreaterThan(10);
    expect(body.items.some((i) => i.targets.some((x) => x.state === 'atRisk' && x.dueAt))).toBe(true);
    const denied = await fetch(`${url}/api/v1/incidents`);
    expect(denied.status).toBe(401);

    // A contact user with the password on stdin, while the server is running.
    const added = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [HOSHU_BIN, 'user', 'add', '--email', 'New.Contact@Sakura-Logi.example', '--role', 'contact', '--client', '株式会社さくら物流'], { cwd: root, env });
      let stderr = '';
      p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      p.on('exit', (code) => resolve({ code, stderr }));
      p.stdin.end('correct horse battery\n');
    });
    expect(added.code, added.stderr).toBe(0);
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'new.contact@sakura-logi.example', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);

    const backup = path.join(dir, 'backup.db');
    await run(process.execPath, [HOSHU_BIN, 'backup', backup], { cwd: root, env });
    const copy = new Database(backup, { readonly: true });
    const live = new Database(path.join(dir, 'hoshu.db'), { readonly: true });
    try {
      const count = (d: Database.Database) => (d.prepare('select count(*) as n from incidents').get() as { n: number }).n;
      expect(count(copy)).toBe(count(live));
      expect(count(copy)).toBeGreaterThan(10);
    } finally {
      copy.close();
      live.close();
    }
    // Several real processes (start-up, demo load, argon2): generous under a loaded test run.
  }, 180_000);

  it('backup on PostgreSQL points to pg_dump', async () => {
    const pgEnv = { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/none' };
    const err = await run(process.execPath, [HOSHU_BIN, 'backup', '/tmp/x.db'], { cwd: root, env: pgEnv }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toContain('pg_dump');
  });
});
