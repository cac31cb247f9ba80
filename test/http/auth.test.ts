import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { anonymous, call, fixedClock, makeApp, makeUser, PASSWORD, sessionCaller, tokenCaller } from './helpers.ts';

for (const dialect of testDialects) {
  describe(`auth over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock();
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await makeApp(t.db, clock, { loginRateLimit: { perAccount: 5, perAddress: 5, windowMs: 60_000 } });
    });
    afterAll(async () => app?.close());

    it('signs in with a password, sets an HttpOnly SameSite=Lax cookie and returns the CSRF token', async () => {
      const u = await makeUser(t.db, 'agent');
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email.toUpperCase(), password: PASSWORD }, remoteAddress: '10.0.0.1' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.user).toMatchObject({ email: u.email, role: 'agent' });
      expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
      const c = res.cookies.find((x) => x.name === 'hoshu_session')!;
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe('Lax');
      expect(c.secure).toBeFalsy();
      // The session id is never stored in clear.
      const rows = await t.db.selectFrom('sessions').select('idHash').where('userId', '=', u.id).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.idHash).not.toBe(c.value);
      const me = await app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: { hoshu_session: c.value } });
      expect(me.statusCode).toBe(200);
      expect(me.headers['cache-control']).toBe('no-store');
      expect(me.headers['x-content-type-options']).toBe('nosniff');
      expect(me.json().user.id).toBe(u.id);
    });

    it('marks the cookie Secure behind TLS (X-Forwarded-Proto from a trusted proxy)', async () => {
      const tlsApp = await makeApp(t.db, clock, { trustProxy: 1 });
      const u = await makeUser(t.db, 'agent');
      const res = await tlsApp.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { email: u.email, password: PASSWORD } });
      expect(res.cookies.find((x) => x.name === 'hoshu_session')!.secure).toBe(true);
      await tlsApp.close();
    });

    it('refuses a cross-site form post (text/plain or form-encoded) to login', async () => {
      const u = await makeUser(t.db, 'agent');
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `email=${u.email}&password=${PASSWORD}`, remoteAddress: '10.0.0.3' });
      expect(r.statusCode).toBe(415);
      expect(r.json().code).toBe('request.unsupported_media_type');
      expect(r.cookies).toHaveLength(0);
    });

    it('rejects a wrong password and an unknown e-mail alike', async () => {
      const u = await makeUser(t.db, 'agent');
      const a = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: 'wrong password' }, remoteAddress: '10.0.0.2' });
      const b = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.com', password: 'wrong password' }, remoteAddress: '10.0.0.2' });
      expect(a.statusCode).toBe(401);
      expect(b.statusCode).toBe(401);
      expect(a.json()).toEqual(b.json());
      expect(a.json().code).toBe('auth.invalid_credentials');
    });

    it('rate-limits failed sign-ins per client address, over any accounts', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `x${i}@example.com`, password: 'nope nope' }, remoteAddress: '10.9.9.9', headers: { 'accept-language': 'en' } });
        codes.push(r.statusCode);
        if (r.statusCode === 429) {
          expect(r.json().code).toBe('auth.rate_limited');
          expect(r.json().message).toMatch(/Too many sign-in attempts; try again in \d+ seconds/);
        }
      }
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(codes.slice(5)).toEqual([429, 429]);
      // Another address is not affected.
      const other = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x9@example.com', password: 'nope nope' }, remoteAddress: '10.9.9.8' });
      expect(other.statusCode).toBe(401);
    });

    it('a spoofed X-Forwarded-For does not escape the login rate limit unless a proxy is trusted', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `y${i}@example.com`, password: 'nope nope' }, remoteAddress: '10.8.8.8', headers: { 'x-forwarded-for': `203.0.113.${i}` } });
        codes.push(r.statusCode);
      }
      expect(codes.slice(5)).toEqual([429, 429]);
    });

    it('requires the CSRF token on cookie-authenticated writes, not on bearer writes', async () => {
      const s = await sessionCaller(app, t.db, 'admin');
      const body = { name: 'ci token' };
      const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: s.headers.cookie! }, payload: body });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('auth.csrf_failed');
      const wrongCsrf = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: s.headers.cookie!, 'x-csrf-token': 'x'.repeat(43) }, payload: body });
      expect(wrongCsrf.statusCode).toBe(403);
      const before = await t.db.selectFrom('apiTokens').select('id').execute();
      expect(before.filter((r) => r).length).toBeGreaterThanOrEqual(0);
      const ok = await call(app, s, { method: 'POST', url: '/api/v1/tokens', payload: body });
      expect(ok.statusCode).toBe(201);
      // Reads need no CSRF token.
      const read = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: s.headers.cookie! } });
      expect(read.statusCode).toBe(200);
      const bearer = await tokenCaller(t.db, 'admin');
      const viaToken = await call(app, bearer, { method: 'POST', url: '/api/v1/tokens', payload: body });
      expect(viaToken.statusCode).toBe(201);
    });

    it('API tokens: the secret is shown once, stored as SHA-256, and revocation takes effect at once', async () => {
      const agent = await tokenCaller(t.db, 'agent');
      const created = await call(app, agent, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'integration' } });
      expect(created.statusCode).toBe(201);
      const { token, info } = created.json();
      expect(token).toMatch(/^hoshu_[\w-]{43}$/);
      const stored = await t.db.selectFrom('apiTokens').select(['tokenHash']).where('id', '=', info.id).executeTakeFirstOrThrow();
      const { createHash } = await import('node:crypto');
      expect(stored.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
      const me = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json().csrfToken).toBeNull();
      const del = await call(app, agent, { method: 'DELETE', url: `/api/v1/tokens/${info.id}` });
      expect(del.statusCode).toBe(200);
      const after = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: `Bearer ${token}` } });
      expect(after.statusCode).toBe(401);
      expect(after.json().code).toBe('auth.invalid_token');
    });

    it('a token revoked by another process (e.g. the CLI) stops working within the 1 s auth cache', async () => {
      const { revokeApiToken, createApiToken: mk } = await import('../../src/modules/auth/auth.service.ts');
      const u = await makeUser(t.db, 'agent');
      const { token, info } = await mk(t.db, { userId: u.id, name: 'cli' });
      const h = { authorization: `Bearer ${token}` };
      expect((await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: h })).statusCode).toBe(200);
      await revokeApiToken(t.db, info.id);
      clock.advance(1001);
      expect((await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: h })).statusCode).toBe(401);
    });

    it('another user cannot see or revoke my token (404), an admin can', async () => {
      const mine = await tokenCaller(t.db, 'agent');
      const other = await tokenCaller(t.db, 'agent');
      const admin = await tokenCaller(t.db, 'admin');
      const created = (await call(app, mine, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'x' } })).json();
      const r = await call(app, other, { method: 'DELETE', url: `/api/v1/tokens/${created.info.id}` });
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('token.not_found');
      const list = (await call(app, other, { method: 'GET', url: '/api/v1/tokens' })).json();
      expect(list.items.map((x: { id: string }) => x.id)).not.toContain(created.info.id);
      expect((await call(app, admin, { method: 'DELETE', url: `/api/v1/tokens/${created.info.id}` })).statusCode).toBe(200);
    });

    it('logout ends the session; the old cookie then answers 401', async () => {
      const s = await sessionCaller(app, t.db, 'agent');
      expect((await call(app, s, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
      const r = await call(app, s, { method: 'GET', url: '/api/v1/auth/session' });
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('auth.session_expired');
    });

    it('sessions expire after the idle lifetime', async () => {
      const s = await sessionCaller(app, t.db, 'agent');
      clock.advance(13 * 60 * 60 * 1000);
      const r = await call(app, s, { method: 'GET', url: '/api/v1/auth/session' });
      expect(r.statusCode).toBe(401);
    });

    it('a session kept busy still ends after 7 days', async () => {
      const s = await sessionCaller(app, t.db, 'agent');
      const codes: number[] = [];
      for (let hours = 11; hours <= 7 * 24 + 11; hours += 11) {
        clock.advance(11 * 60 * 60 * 1000); // used every 11 h: never idle for 12 h
        codes.push((await call(app, s, { method: 'GET', url: '/api/v1/auth/session' })).statusCode);
      }
      // 15 uses fall within the first 7 days (165 h); the 16th, at 176 h, is refused.
      expect(codes.slice(0, 15).every((c) => c === 200)).toBe(true);
      expect(codes.at(-1)).toBe(401);
    });

    it('no credentials: 401 with a message in the requested language', async () => {
      const ja = await call(app, anonymous, { method: 'GET', url: '/api/v1/auth/session' });
      expect(ja.statusCode).toBe(401);
      expect(ja.json()).toEqual({ code: 'auth.unauthenticated', message: 'ログインしてください（セッション Cookie または Bearer トークン）。', issues: [] });
      const en = await call(app, anonymous, { method: 'GET', url: '/api/v1/auth/session', headers: { 'accept-language': 'en-US,en;q=0.9,ja;q=0.5' } });
      expect(en.json().message).toBe('Please sign in (session cookie or bearer token).');
    });

    it("without Accept-Language, errors use the signed-in user's saved language", async () => {
      const admin = await tokenCaller(t.db, 'admin');
      const created = (await call(app, admin, { method: 'POST', url: '/api/v1/users', payload: { email: `en-${Date.now()}@example.com`, name: 'English', role: 'agent', locale: 'en' } })).json();
      const { createApiToken: mk } = await import('../../src/modules/auth/auth.service.ts');
      const { token } = await mk(t.db, { userId: created.id, name: 'x' });
      const r = await app.inject({ method: 'GET', url: '/api/v1/users/nope', headers: { authorization: `Bearer ${token}` } });
      expect(r.json().message).toBe('The user was not found.');
      const ja = await app.inject({ method: 'GET', url: '/api/v1/users/nope', headers: { authorization: `Bearer ${token}`, 'accept-language': 'ja' } });
      expect(ja.json().message).toBe('ユーザーが見つかりません。');
    });

    it('admins create users; passwords are argon2id; contacts need a client', async () => {
      const admin = await tokenCaller(t.db, 'admin');
      const agent = await tokenCaller(t.db, 'agent');
      const email = `new-${Date.now()}@example.com`;
      const body = { email, name: '新人', role: 'agent', password: 'long enough pw' };
      expect((await call(app, agent, { method: 'POST', url: '/api/v1/users', payload: body })).statusCode).toBe(403);
      const r = await call(app, admin, { method: 'POST', url: '/api/v1/users', payload: body });
      expect(r.statusCode).toBe(201);
      const row = await t.db.selectFrom('users').select('passwordHash').where('email', '=', email).executeTakeFirstOrThrow();
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      const dup = await call(app, admin, { method: 'POST', url: '/api/v1/users', payload: body });
      expect(dup.statusCode).toBe(409);
      const bad = await call(app, admin, { method: 'POST', url: '/api/v1/users', payload: { email: 'not-an-email', role: 'contact', password: '' }, headers: { 'accept-language': 'en' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('validation.failed');
      const paths = bad.json().issues.map((i: { path: string[] }) => i.path.join('.')).sort();
      expect(paths).toEqual(['body.clientId', 'body.email', 'body.name', 'body.password']);
      const orphan = await call(app, admin, { method: 'POST', url: '/api/v1/users', payload: { email: `c-${Date.now()}@example.com`, name: 'C', role: 'contact', clientId: '0190a6e0-0000-7000-8000-000000000000' } });
      expect(orphan.statusCode).toBe(400);
      expect(orphan.json().issues).toEqual([expect.objectContaining({ path: ['body', 'clientId'], code: 'not_found' })]);
    });
  });
}

describe('logging', () => {
  const t = useTestDb(testDialects[0]!);
  it('never writes passwords, tokens, session ids or CSRF tokens to the log', async () => {
    const lines: string[] = [];
    const app = await makeApp(t.db, fixedClock(), { logger: { level: 'trace', stream: { write: (l: string) => void lines.push(l) } } });
    const u = await makeUser(t.db, 'admin');
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } });
    const sessionId = login.cookies.find((c) => c.name === 'hoshu_session')!.value;
    const csrf = login.json().csrfToken as string;
    const created = await app.inject({
      method: 'POST', url: '/api/v1/tokens', payload: { name: 'log test' },
      headers: { cookie: `hoshu_session=${sessionId}`, 'x-csrf-token': csrf },
    });
    const token = created.json().token as string;
    await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: `Bearer ${token}` } });
    await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: `Bearer ${token}x` } });
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: 'a wrong secret' } });
    await app.close();
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, 'a wrong secret', sessionId, csrf, token]) expect(log).not.toContain(secret);
  });
});
