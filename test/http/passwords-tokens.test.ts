/**
 * Password rules, changing one's own password, what a password change or disabling
 * ends, logout with a bearer token, and token expiry — as a user meets them over HTTP.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/modules/auth/auth.service.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, makeUser, PASSWORD, tokenCaller, type Caller } from './helpers.ts';

for (const dialect of testDialects) {
  describe(`passwords and tokens (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock();
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
    });
    afterAll(async () => app?.close());

    async function signIn(email: string, password: string = PASSWORD): Promise<Caller> {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'hoshu_session')!.value;
      return { role: 'agent', userId: null, clientId: null, email, headers: { cookie: `hoshu_session=${cookie}`, 'x-csrf-token': res.json().csrfToken } };
    }
    const whoAmI = async (who: Caller) => (await call(app, who, { method: 'GET', url: '/api/v1/auth/session' })).statusCode;
    const bearer = async (userId: string): Promise<Caller> => {
      const { token } = await createApiToken(t.db, { userId, name: 'integration' });
      return { role: 'agent', userId, clientId: null, email: '', headers: { authorization: `Bearer ${token}` } };
    };

    it('refuses blank, short (counted in characters) and common passwords with coded, translated errors', async () => {
      const admin = await tokenCaller(t.db, 'admin');
      const tryCreate = (password: string, lang = 'en') => call(app, admin, {
        method: 'POST', url: '/api/v1/users', headers: { 'accept-language': lang },
        payload: { email: `pw-${Math.random().toString(36).slice(2)}@example.com`, name: 'PW', role: 'agent', password },
      });
      const cases: [string, string, string, string][] = [
        [' '.repeat(8), 'auth.blank_password', 'The password must not consist of spaces only.', 'blank'],
        [' '.repeat(12), 'auth.blank_password', 'The password must not consist of spaces only.', 'blank'],
        ['password', 'auth.weak_password', 'The password must be at least 12 characters long.', 'too_small'],
        // 12 UTF-16 units, but 6 characters to the person typing them.
        ['🔑'.repeat(6), 'auth.weak_password', 'The password must be at least 12 characters long.', 'too_small'],
        ['password1234', 'auth.common_password', 'This password is one of the most common passwords; choose another.', 'common'],
        ['QwertyUiop123', 'auth.common_password', 'This password is one of the most common passwords; choose another.', 'common'],
      ];
      for (const [password, code, message, issue] of cases) {
        const r = await tryCreate(password);
        expect(r.statusCode, password).toBe(400);
        expect(r.json()).toEqual({ code, message, issues: [expect.objectContaining({ path: ['body', 'password'], code: issue })] });
      }
      const ja = await tryCreate('password', 'ja');
      expect(ja.json().message).toBe('パスワードは 12 文字以上にしてください。');
      expect((await tryCreate('password1234', 'ja')).json().message).toMatch(/よく使われるパスワード/);
      // Twelve characters of Japanese are twelve characters.
      expect((await tryCreate('保守契約のパスワード十二字')).statusCode).toBe(201);
      expect((await tryCreate(PASSWORD)).statusCode).toBe(201);
    });

    it('changing one\'s own password asks for the current one; the changing session stays, every other session and token ends', async () => {
      const u = await makeUser(t.db, 'agent');
      const here = await signIn(u.email);
      const elsewhere = await signIn(u.email);
      const token = await bearer(u.id);
      const url = `/api/v1/users/${u.id}/password`;

      const missing = await call(app, here, { method: 'PUT', url, payload: { password: 'a brand new passphrase' }, headers: { 'accept-language': 'en' } });
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toEqual({
        code: 'auth.current_password_required', message: 'Enter your current password to change it.',
        issues: [expect.objectContaining({ path: ['body', 'currentPassword'], code: 'required' })],
      });
      const wrong = await call(app, here, { method: 'PUT', url, payload: { currentPassword: 'not my password', password: 'a brand new passphrase' } });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json()).toMatchObject({ code: 'auth.current_password_wrong', message: '現在のパスワードが正しくありません。', issues: [{ path: ['body', 'currentPassword'] }] });
      const weak = await call(app, here, { method: 'PUT', url, payload: { currentPassword: PASSWORD, password: 'password1234' } });
      expect(weak.json().code).toBe('auth.common_password');
      // Nothing ended so far.
      expect([await whoAmI(here), await whoAmI(elsewhere), await whoAmI(token)]).toEqual([200, 200, 200]);

      const ok = await call(app, here, { method: 'PUT', url, payload: { currentPassword: PASSWORD, password: 'a brand new passphrase' } });
      expect(ok.statusCode).toBe(200);
      expect(await whoAmI(here)).toBe(200);
      expect(await whoAmI(elsewhere)).toBe(401);
      expect(await whoAmI(token)).toBe(401);
      const tokens = (await call(app, here, { method: 'GET', url: '/api/v1/tokens' })).json().items as { revokedAt: string | null }[];
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.every((x) => x.revokedAt !== null)).toBe(true);
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } })).statusCode).toBe(401);
      await signIn(u.email, 'a brand new passphrase');
    });

    it('a wrong current password counts as a failed sign-in of the account', async () => {
      const u = await makeUser(t.db, 'agent');
      const s = await signIn(u.email);
      const url = `/api/v1/users/${u.id}/password`;
      for (let i = 0; i < 10; i++) {
        expect((await call(app, s, { method: 'PUT', url, payload: { currentPassword: `guess number ${i}`, password: 'a brand new passphrase' } })).statusCode).toBe(400);
      }
      const limited = await call(app, s, { method: 'PUT', url, payload: { currentPassword: PASSWORD, password: 'a brand new passphrase' } });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } })).statusCode).toBe(429);
      clock.advance(15 * 60 * 1000);
    });

    it("an admin setting someone's password ends all of that user's sessions and API tokens", async () => {
      const admin = await tokenCaller(t.db, 'admin');
      const u = await makeUser(t.db, 'agent');
      const s = await signIn(u.email);
      const tok = await bearer(u.id);
      const r = await call(app, admin, { method: 'PUT', url: `/api/v1/users/${u.id}/password`, payload: { password: 'set by the admin 2026' } });
      expect(r.statusCode).toBe(200);
      expect([await whoAmI(s), await whoAmI(tok), await whoAmI(admin)]).toEqual([401, 401, 200]);
    });

    it('disabling a user ends their sessions and revokes their tokens for good (enabling again does not bring them back)', async () => {
      const admin = await tokenCaller(t.db, 'admin');
      const u = await makeUser(t.db, 'agent');
      const s = await signIn(u.email);
      const tok = await bearer(u.id);
      expect((await call(app, admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { disabled: true } })).json().disabled).toBe(true);
      expect([await whoAmI(s), await whoAmI(tok)]).toEqual([401, 401]);
      expect((await call(app, admin, { method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { disabled: false } })).json().disabled).toBe(false);
      clock.advance(1001);
      expect(await whoAmI(tok)).toBe(401);
      const list = (await call(app, admin, { method: 'GET', url: `/api/v1/tokens?userId=${u.id}` })).json().items as { revokedAt: string | null }[];
      expect(list.map((x) => x.revokedAt)).toEqual([expect.any(String)]);
      // The user can sign in again; a new token works.
      await signIn(u.email);
      expect(await whoAmI(await bearer(u.id))).toBe(200);
    });

    it('logout with a bearer token ends no session and leaves the token valid (documented)', async () => {
      const u = await makeUser(t.db, 'agent');
      const s = await signIn(u.email);
      const tok = await bearer(u.id);
      const r = await call(app, tok, { method: 'POST', url: '/api/v1/auth/logout' });
      expect(r.statusCode).toBe(200);
      expect([await whoAmI(tok), await whoAmI(s)]).toEqual([200, 200]);
    });

    it('refuses a token whose expiry is not in the future (400, coded, with the field)', async () => {
      const agent = await tokenCaller(t.db, 'agent');
      const create = (expiresAt: string, lang = 'en') => call(app, agent, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci', expiresAt }, headers: { 'accept-language': lang } });
      const past = await create(new Date(clock() - 60_000).toISOString());
      expect(past.statusCode).toBe(400);
      expect(past.json()).toEqual({
        code: 'token.expiry_in_past', message: 'The expiry of an API token must be in the future.',
        issues: [expect.objectContaining({ path: ['body', 'expiresAt'], code: 'in_past' })],
      });
      expect((await create(new Date(clock()).toISOString(), 'ja')).json().message).toBe('API トークンの有効期限は未来の日時にしてください。');
      const before = (await call(app, agent, { method: 'GET', url: '/api/v1/tokens' })).json().items.length;
      expect(before).toBe(1); // the caller's own token only: the refused ones were not stored
      const future = await create(new Date(clock() + 86_400_000).toISOString());
      expect(future.statusCode).toBe(201);
    });
  });
}
