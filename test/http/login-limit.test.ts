/**
 * The sign-in limit counts failures only, per account and per client address, and
 * the client address is the one our own proxies saw — not what the client wrote
 * into X-Forwarded-For.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { fixedClock, makeApp, makeUser, PASSWORD } from './helpers.ts';

const login = (app: FastifyInstance, email: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress, headers });

for (const dialect of testDialects) {
  describe(`sign-in limit (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock();
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await makeApp(t.db, clock); // the default limits
    });
    afterAll(async () => app?.close());

    it('30 successful sign-ins from one address within a minute all succeed (an office behind one NAT at 9:00)', async () => {
      const users = await Promise.all(Array.from({ length: 6 }, () => makeUser(t.db, 'agent')));
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) {
        codes.push((await login(app, users[i % users.length]!.email, PASSWORD, '192.0.2.10')).statusCode);
        clock.advance(2000);
      }
      expect(codes).toEqual(Array(30).fill(200));
    });

    it('the 11th failure of one account is refused from any address, while another account signs in from the same address', async () => {
      const victim = await makeUser(t.db, 'agent');
      const colleague = await makeUser(t.db, 'agent');
      for (let i = 1; i <= 10; i++) {
        const r = await login(app, victim.email, 'wrong password!', `198.51.100.${i}`);
        expect(r.statusCode, `failure ${i}`).toBe(401);
        expect(r.json().code).toBe('auth.invalid_credentials');
        clock.advance(1000);
      }
      const refused = await login(app, victim.email.toUpperCase(), 'wrong password!', '203.0.113.99', { 'accept-language': 'en' });
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('auth.rate_limited');
      const retryAfter = Number(refused.headers['retry-after']);
      // The first failure leaves the 15-minute window 10 s after it happened … 10 s ago.
      expect(retryAfter).toBe(15 * 60 - 10);
      expect(refused.json().message).toBe(`Too many sign-in attempts; try again in ${retryAfter} seconds.`);
      // While locked, even the right password is refused (else the answer would tell a guesser when to stop) …
      expect((await login(app, victim.email, PASSWORD, '203.0.113.98')).statusCode).toBe(429);
      // … but the address is not locked: a colleague signs in from it.
      expect((await login(app, colleague.email, PASSWORD, '203.0.113.99')).statusCode).toBe(200);
      // The window passes: the owner signs in again.
      clock.advance(retryAfter * 1000);
      expect((await login(app, victim.email, PASSWORD, '203.0.113.99')).statusCode).toBe(200);
    });

    it('a successful sign-in starts the account afresh', async () => {
      const u = await makeUser(t.db, 'agent');
      for (let i = 0; i < 9; i++) expect((await login(app, u.email, 'typo typo typo', '192.0.2.20')).statusCode).toBe(401);
      expect((await login(app, u.email, PASSWORD, '192.0.2.20')).statusCode).toBe(200);
      for (let i = 0; i < 9; i++) expect((await login(app, u.email, 'typo typo typo', '192.0.2.20')).statusCode).toBe(401);
      expect((await login(app, u.email, PASSWORD, '192.0.2.20')).statusCode).toBe(200);
    });

    it('failures over many accounts from one address hit the address limit', async () => {
      const small = await makeApp(t.db, clock, { loginRateLimit: { perAddress: 3 } });
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await login(small, `spray${i}@example.com`, 'Summer2026!!', '192.0.2.30')).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      const u = await makeUser(t.db, 'agent');
      expect((await login(small, u.email, PASSWORD, '192.0.2.31')).statusCode).toBe(200);
      await small.close();
    });

    it('with HOSHU_TRUST_PROXY=1 a forged left-most X-Forwarded-For does not move the limit to another address', async () => {
      const { trustProxy } = loadConfig({ HOSHU_TRUST_PROXY: '1' });
      const proxied = await makeApp(t.db, clock, { trustProxy, loginRateLimit: { perAddress: 5 } });
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        // Our proxy (127.0.0.1) appends the address it saw; the client wrote the rest.
        const r = await login(proxied, `forger${i}@example.com`, 'nope nope nope', '127.0.0.1', { 'x-forwarded-for': `10.66.0.${i}, 198.51.100.77` });
        codes.push(r.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Another client behind the same proxy is not affected, whatever it forges.
      const other = await login(proxied, 'someone@example.com', 'nope nope nope', '127.0.0.1', { 'x-forwarded-for': '198.51.100.77, 198.51.100.78' });
      expect(other.statusCode).toBe(401);
      await proxied.close();
    });
  });
}

describe('HOSHU_TRUST_PROXY', () => {
  it('takes a hop count or proxy addresses/CIDRs, and refuses true naming the alternatives', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ HOSHU_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ HOSHU_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ HOSHU_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' }).trustProxy)
      .toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
    expect(() => loadConfig({ HOSHU_TRUST_PROXY: 'true' })).toThrow(/HOSHU_TRUST_PROXY: true would trust the left-most X-Forwarded-For[\s\S]*number of proxies[\s\S]*addresses\/CIDRs/);
    expect(() => loadConfig({ HOSHU_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/HOSHU_TRUST_PROXY: not a hop count or a list of proxy addresses\/CIDRs: 10\.0\.0\.0\/33/);
    expect(() => loadConfig({ HOSHU_TRUST_PROXY: 'proxy.internal' })).toThrow(/HOSHU_TRUST_PROXY/);
  });
});
