/**
 * Account care from the shell, as an admin locked out of the web UI would do it:
 * `hoshu user list|disable|enable|reset-password`, `hoshu token list|revoke`. Real
 * CLI processes on a SQLite data directory; the effect is checked through the HTTP
 * API on the same file (what the user notices: a token or a password stops working).
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../../src/db/database.ts';
import { buildApp } from '../../src/http/app.ts';
import { cliInTempDir, JA_ENV } from '../helpers/cli.ts';

const { dir, hoshu, remove } = cliInTempDir('hoshu-cli-accounts-');
const ja = JA_ENV;

let database: Database;
let app: FastifyInstance;
beforeAll(async () => {
  const migrate = await hoshu(['migrate']);
  expect(migrate.code, migrate.stderr).toBe(0);
  database = createDb({ dialect: 'sqlite', file: path.join(dir, 'hoshu.db') });
  // No auth cache: a change made by another process shows at the next request.
  app = await buildApp({ db: database.db, config: { authCacheMs: 0 } });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
  remove();
});

const login = (email: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: '192.0.2.1' });
const withToken = (token: string) => app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: `Bearer ${token}` } });

describe('hoshu user … / hoshu token … on SQLite', () => {
  it('refuses a common password for a new user, in the reader\'s language, and stores nothing', async () => {
    const r = await hoshu(['user', 'add', '--email', 'weak@vendor.example', '--role', 'agent'], { stdin: 'password1234', env: ja });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('エラー: このパスワードはよく使われるパスワードの一覧に含まれています。');
    expect(r.stderr).not.toContain('password1234');
    const list = await hoshu(['user', 'list']);
    expect(list.stdout).not.toContain('weak@vendor.example');
  }, 60_000);

  it('lists and revokes tokens, resets a password (printed once), disables and enables a user', async () => {
    const added = await hoshu(['user', 'add', '--email', 'Tanaka@Vendor.example', '--role', 'agent', '--name', '田中'], { stdin: 'correct horse battery\n' });
    expect(added.code, added.stderr).toBe(0);
    const created = await hoshu(['token', 'create', '--email', 'tanaka@vendor.example', '--name', 'monitoring']);
    const token = created.stdout.trim();
    expect(token).toMatch(/^hoshu_/);
    expect((await withToken(token)).statusCode).toBe(200);

    const users = await hoshu(['user', 'list', '--role', 'agent']);
    expect(users.code).toBe(0);
    expect(users.stdout.split('\n')[0]).toBe('E-MAIL\tROLE\tNAME\tCLIENT\tSTATE\tID');
    expect(users.stdout).toMatch(/^tanaka@vendor\.example\tagent\t田中\t-\tenabled\t[0-9a-f-]{36}$/m);

    const tokens = await hoshu(['token', 'list', '--email', 'tanaka@vendor.example'], { env: ja });
    const line = tokens.stdout.split('\n').find((l) => l.includes('monitoring'))!;
    const [id, email, , prefix, , , , state] = line.split('\t');
    expect([email, state]).toEqual(['tanaka@vendor.example', '有効']);
    expect(token.startsWith(prefix!.replace('…', ''))).toBe(true);
    expect(tokens.stdout).not.toContain(token);

    const revoked = await hoshu(['token', 'revoke', id!]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain(`Revoked API token ${id}`);
    expect((await withToken(token)).statusCode).toBe(401);
    const unknown = await hoshu(['token', 'revoke', 'not-a-token-id'], { env: ja });
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'エラー: API トークンが見つかりません。']);

    // A reset prints the new password once, on stdout only, and ends what the old one opened.
    const second = (await hoshu(['token', 'create', '--email', 'tanaka@vendor.example'])).stdout.trim();
    expect((await login('tanaka@vendor.example', 'correct horse battery')).statusCode).toBe(200);
    const reset = await hoshu(['user', 'reset-password', '--email', 'tanaka@vendor.example']);
    expect(reset.code, reset.stderr).toBe(0);
    const generated = reset.stdout.trim();
    expect(reset.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect([...generated].length).toBeGreaterThanOrEqual(12);
    expect(reset.stderr).not.toContain(generated);
    expect(reset.stderr).toContain('1 API token(s) revoked');
    expect((await withToken(second)).statusCode).toBe(401);
    expect((await login('tanaka@vendor.example', 'correct horse battery')).statusCode).toBe(401);
    expect((await login('tanaka@vendor.example', generated)).statusCode).toBe(200);

    // … or reads it from stdin, under the same rules.
    const weak = await hoshu(['user', 'reset-password', '--email', 'tanaka@vendor.example', '--stdin'], { stdin: ' '.repeat(12), env: ja });
    expect([weak.code, weak.stderr.split('\n')[0]]).toEqual([1, 'エラー: パスワードを空白だけにすることはできません。']);
    const chosen = await hoshu(['user', 'reset-password', '--email', 'tanaka@vendor.example', '--stdin'], { stdin: '新しい合言葉は保守の窓口\n' });
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).toBe('');
    expect((await login('tanaka@vendor.example', '新しい合言葉は保守の窓口')).statusCode).toBe(200);

    const third = (await hoshu(['token', 'create', '--email', 'tanaka@vendor.example'])).stdout.trim();
    const disabled = await hoshu(['user', 'disable', '--email', 'tanaka@vendor.example']);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stderr).toContain('1 API token(s) revoked');
    expect((await login('tanaka@vendor.example', '新しい合言葉は保守の窓口')).statusCode).toBe(401);
    expect((await withToken(third)).statusCode).toBe(401);
    expect((await hoshu(['user', 'list'])).stdout).toMatch(/^tanaka@vendor\.example\t.*\tdisabled\t/m);

    expect((await hoshu(['user', 'enable', '--email', 'tanaka@vendor.example'])).code).toBe(0);
    expect((await login('tanaka@vendor.example', '新しい合言葉は保守の窓口')).statusCode).toBe(200);
    expect((await withToken(third)).statusCode).toBe(401);

    const nobody = await hoshu(['user', 'disable', '--email', 'nobody@vendor.example']);
    expect([nobody.code, nobody.stderr.trim()]).toEqual([1, `error: No user with the e-mail address nobody@vendor.example. (Opened: ${path.join(dir, 'hoshu.db')}.)`]);
  }, 240_000);
});
