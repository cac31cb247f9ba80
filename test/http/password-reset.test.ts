/**
 * Password resets over HTTP (issue 17): an e-mailed link works once and for an hour,
 * only its hash is stored, the mail goes out in the user's language through the
 * outbound path; after a one-time password every call but the password change
 * answers auth.password_change_required until the user has chosen their own.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { updateUser } from '../../src/modules/auth/auth.service.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, makeUser, PASSWORD, tokenCaller, type Caller } from './helpers.ts';

const NEW_PASSWORD = 'a brand new passphrase 7';

for (const dialect of testDialects) {
  describe(`password reset (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock();
    let app: FastifyInstance;
    let admin: Caller;
    beforeAll(async () => {
      app = await makeApp(t.db, clock, { baseUrl: 'https://desk.example.jp/' });
      admin = await tokenCaller(t.db, 'admin');
    });
    afterAll(async () => app?.close());
    const login = (email: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    const sessionOf = (res: Awaited<ReturnType<typeof login>>): Caller => ({
      role: 'agent', userId: null, clientId: null, email: '',
      headers: { cookie: `hoshu_session=${res.cookies.find((c) => c.name === 'hoshu_session')!.value}`, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken },
    });
    /** The link of the last reset mail to this address, read from the outbound job. */
    const mailTo = async (email: string) => {
      const jobs = await t.db.selectFrom('jobs').select(['payload', 'dedupeKey']).where('kind', '=', 'mail.outbound').where('dedupeKey', 'like', 'mail:password-reset:%').orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
      const mail = jobs.map((j) => JSON.parse(j.payload) as { to: string; subject: string; text: string }).find((m) => m.to === email)!;
      return { ...mail, token: /\/reset\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]! };
    };
    const reset = (token: string, password: string, lang = 'en') =>
      app.inject({ method: 'POST', url: '/api/v1/auth/reset', payload: { token, password }, headers: { 'accept-language': lang } });

    it('an e-mailed link sets a password once, within the hour; only its hash is stored', async () => {
      const u = await makeUser(t.db, 'agent');
      await updateUser(t.db, u.id, { locale: 'en' }, clock(), SYSTEM_ACTOR);
      const oldToken = (await call(app, admin, { method: 'POST', url: '/api/v1/tokens', payload: { userId: u.id, name: 'old' } })).json().token as string;
      const sent = await call(app, admin, { method: 'POST', url: `/api/v1/users/${u.id}/reset-link` });
      expect(sent.statusCode).toBe(201);
      expect(sent.json()).toEqual({ email: u.email, expiresAt: new Date(clock() + 3600_000).toISOString() });
      const mail = await mailTo(u.email);
      expect(mail.subject).toBe('[Hoshu] Reset your password');
      expect(mail.text).toContain(`https://desk.example.jp/reset/${mail.token}`);
      expect(mail.text).toContain('60 minutes');
      // The database keeps the hash, the audit log neither.
      const rows = await t.db.selectFrom('passwordResets').selectAll().where('userId', '=', u.id).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.tokenHash).not.toContain(mail.token);
      expect(JSON.stringify(await t.db.selectFrom('auditLog').selectAll().where('entityId', '=', u.id).execute())).not.toContain(mail.token);

      const check = await app.inject({ method: 'POST', url: '/api/v1/auth/reset/check', payload: { token: mail.token } });
      expect(check.json()).toMatchObject({ email: u.email });
      // A weak password is refused with the rules' own code and leaves the link usable.
      const weak = await reset(mail.token, 'short');
      expect(weak.statusCode).toBe(400);
      expect(weak.json().code).toBe('auth.weak_password');
      expect((await reset(mail.token, NEW_PASSWORD)).statusCode).toBe(200);
      expect((await login(u.email, NEW_PASSWORD)).statusCode).toBe(200);
      expect((await login(u.email, PASSWORD)).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: `Bearer ${oldToken}` } })).statusCode).toBe(401);
      // Single use.
      const again = await reset(mail.token, 'yet another passphrase 8');
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({ code: 'auth.reset_link_invalid', message: expect.stringContaining('already been used') });
      expect((await login(u.email, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it('a link expires after an hour; a newer link voids the older one; the mail is in Japanese for a Japanese user', async () => {
      const u = await makeUser(t.db, 'agent');
      const start = clock();
      await call(app, admin, { method: 'POST', url: `/api/v1/users/${u.id}/reset-link` });
      const first = await mailTo(u.email);
      expect(first.subject).toBe('[Hoshu] パスワード再設定のご案内');
      clock.set(start + 10 * 60_000);
      await call(app, admin, { method: 'POST', url: `/api/v1/users/${u.id}/reset-link` });
      const second = await mailTo(u.email);
      expect(second.token).not.toBe(first.token);
      expect((await reset(first.token, NEW_PASSWORD, 'ja')).json()).toMatchObject({ code: 'auth.reset_link_invalid' });
      clock.set(start + 10 * 60_000 + 3600_000);
      const late = await reset(second.token, NEW_PASSWORD, 'ja');
      expect(late.statusCode).toBe(400);
      expect(late.json()).toMatchObject({ code: 'auth.reset_link_expired', message: expect.stringContaining('有効期限') });
      expect((await login(u.email, PASSWORD)).statusCode).toBe(200);
      // Only admins send links, never to themselves.
      const agent = await tokenCaller(t.db, 'agent');
      expect((await call(app, agent, { method: 'POST', url: `/api/v1/users/${u.id}/reset-link` })).statusCode).toBe(403);
      expect((await call(app, admin, { method: 'POST', url: `/api/v1/users/${admin.userId}/reset-link` })).json().code).toBe('auth.current_password_required');
    });

    it('after a one-time password the user must choose their own before any other call', async () => {
      const u = await makeUser(t.db, 'agent');
      const { password } = (await call(app, admin, { method: 'POST', url: `/api/v1/users/${u.id}/one-time-password` })).json() as { password: string };
      const signedIn = await login(u.email, password);
      expect(signedIn.statusCode).toBe(200);
      expect(signedIn.json().user.mustChangePassword).toBe(true);
      const me = sessionOf(signedIn);
      const blocked = await call(app, me, { method: 'GET', url: '/api/v1/incidents', headers: { 'accept-language': 'en' } });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json()).toMatchObject({ code: 'auth.password_change_required', message: 'You signed in with a one-time password. Choose a new password to continue.' });
      expect((await call(app, me, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'sneaky' } })).json().code).toBe('auth.password_change_required');
      expect((await call(app, me, { method: 'PATCH', url: '/api/v1/auth/profile', payload: { name: 'x' } })).json().code).toBe('auth.password_change_required');
      // Its session and sign-out still answer.
      expect((await call(app, me, { method: 'GET', url: '/api/v1/auth/session' })).json().user.mustChangePassword).toBe(true);
      // The change needs the one-time password as the current one, and a password that meets the rules.
      const weak = await call(app, me, { method: 'PUT', url: `/api/v1/users/${u.id}/password`, payload: { currentPassword: password, password: 'short' } });
      expect(weak.json().code).toBe('auth.weak_password');
      const changed = await call(app, me, { method: 'PUT', url: `/api/v1/users/${u.id}/password`, payload: { currentPassword: password, password: NEW_PASSWORD } });
      expect(changed.statusCode).toBe(200);
      expect((await call(app, me, { method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);
      expect((await call(app, me, { method: 'GET', url: '/api/v1/auth/session' })).json().user.mustChangePassword).toBe(false);
      // An e-mailed reset is the user's own choice: nothing to change afterwards.
      await call(app, admin, { method: 'POST', url: `/api/v1/users/${u.id}/one-time-password` });
      await call(app, admin, { method: 'POST', url: `/api/v1/users/${u.id}/reset-link` });
      expect((await reset((await mailTo(u.email)).token, 'the mailbox proves it 9')).statusCode).toBe(200);
      expect((await login(u.email, 'the mailbox proves it 9')).json().user.mustChangePassword).toBe(false);
    });
  });
}
