/**
 * The admin screens' account actions over HTTP (issue 17): a token created for a user
 * works until it is revoked; a one-time password is answered once, lets the user in and
 * ends their old sessions and tokens; a user changes their own name and language.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, makeUser, tokenCaller, type Caller } from './helpers.ts';

for (const dialect of testDialects) {
  describe(`admin accounts (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock();
    let app: FastifyInstance;
    let admin: Caller;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      admin = await tokenCaller(t.db, 'admin');
    });
    afterAll(async () => app?.close());
    const bearer = (token: string): Caller => ({ role: 'agent', userId: null, clientId: null, email: '', headers: { authorization: `Bearer ${token}` } });
    const whoAmI = async (who: Caller) => (await call(app, who, { method: 'GET', url: '/api/v1/auth/session' })).statusCode;

    it('a token an admin creates for a user works, shows its last use, and stops working once revoked', async () => {
      const u = await makeUser(t.db, 'agent');
      const created = await call(app, admin, { method: 'POST', url: '/api/v1/tokens', payload: { userId: u.id, name: '監視連携' } });
      expect(created.statusCode).toBe(201);
      const { token, info } = created.json() as { token: string; info: { id: string; name: string; lastUsedAt: string | null } };
      expect(info).toMatchObject({ name: '監視連携', lastUsedAt: null });
      expect(await whoAmI(bearer(token))).toBe(200);
      const listed = (await call(app, admin, { method: 'GET', url: `/api/v1/tokens?userId=${u.id}` })).json().items as { id: string; lastUsedAt: string | null }[];
      expect(listed.find((x) => x.id === info.id)?.lastUsedAt).toBe(new Date(clock()).toISOString());
      expect((await call(app, admin, { method: 'DELETE', url: `/api/v1/tokens/${info.id}` })).statusCode).toBe(200);
      expect(await whoAmI(bearer(token))).toBe(401);
    });

    it('a one-time password is shown once, signs the user in, and ends their old sessions and tokens', async () => {
      const u = await makeUser(t.db, 'agent');
      const old = (await call(app, admin, { method: 'POST', url: '/api/v1/tokens', payload: { userId: u.id, name: 'old' } })).json().token as string;
      const r = await call(app, admin, { method: 'POST', url: `/api/v1/users/${u.id}/one-time-password` });
      expect(r.statusCode).toBe(201);
      const { password, revokedTokens } = r.json() as { password: string; revokedTokens: number };
      expect(password).toMatch(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);
      expect(revokedTokens).toBe(1);
      expect(await whoAmI(bearer(old))).toBe(401);
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password } });
      expect(login.statusCode).toBe(200);
      // Only the hash is kept: the audit row does not carry the password.
      const audit = await t.db.selectFrom('auditLog').selectAll().where('entityId', '=', u.id).where('action', '=', 'set_password').execute();
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0])).not.toContain(password);
      // An admin's own password needs the current one.
      const self = await call(app, admin, { method: 'POST', url: `/api/v1/users/${admin.userId}/one-time-password`, headers: { 'accept-language': 'en' } });
      expect(self.statusCode).toBe(400);
      expect(self.json()).toMatchObject({ code: 'auth.current_password_required', message: 'Enter your current password to change it.' });
      const agent = await tokenCaller(t.db, 'agent');
      expect((await call(app, agent, { method: 'POST', url: `/api/v1/users/${u.id}/one-time-password` })).statusCode).toBe(403);
    });

    it('a user changes their own name and language; a blank name is refused in their language', async () => {
      const contact = await tokenCaller(t.db, 'agent');
      const r = await call(app, contact, { method: 'PATCH', url: '/api/v1/auth/profile', payload: { name: '  山田 花子 ', locale: 'en' } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ name: '山田 花子', locale: 'en' });
      expect((await call(app, contact, { method: 'GET', url: '/api/v1/auth/session' })).json().user.name).toBe('山田 花子');
      const blank = await call(app, contact, { method: 'PATCH', url: '/api/v1/auth/profile', payload: { name: '   ' } });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().issues[0].path).toEqual(['body', 'name']);
      // The same values again change nothing and write no audit row.
      const before = await t.db.selectFrom('auditLog').select('id').where('entityId', '=', contact.userId!).execute();
      expect((await call(app, contact, { method: 'PATCH', url: '/api/v1/auth/profile', payload: { name: '山田 花子' } })).statusCode).toBe(200);
      expect(await t.db.selectFrom('auditLog').select('id').where('entityId', '=', contact.userId!).execute()).toHaveLength(before.length);
    });
  });
}
