/**
 * The public token pages (status page, maintenance ICS feed) need no sign-in: @fastify/rate-limit
 * limits them per client address and route (HttpConfig.publicRateLimit), answered with a coded,
 * translated 429 and Retry-After; signed-in routes are not limited by it. Both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

for (const dialect of testDialects) {
  describe(`public pages' rate limit (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await buildApp({ db: t.db, clock, config: { checkResponses: true, publicRateLimit: { max: 3, windowMs: 60_000 } } });
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    it('answers the fourth request of an address within the window with request.rate_limited (429), per address; other routes are not limited', async () => {
      const pub = await call(app, w.agent, { method: 'POST', url: `/api/v1/contracts/${w.a.contractId}/publication` });
      const url = `/api/v1/public/${(pub.json() as { token: string }).token}/maintenance.ics`;
      const from = (remoteAddress: string, lang = 'ja') => app.inject({ method: 'GET', url, remoteAddress, headers: { 'accept-language': lang } });
      for (let i = 0; i < 3; i++) expect((await from('203.0.113.7')).statusCode).toBe(200);
      const limited = await from('203.0.113.7');
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
      expect(limited.json()).toMatchObject({ code: 'request.rate_limited', message: expect.stringMatching(/^リクエストが多すぎます。\d+ 秒後にもう一度お試しください。$/) });
      expect((await from('203.0.113.7', 'en')).json().message).toMatch(/^Too many requests; try again in \d+ seconds\.$/);
      // Another address has its own count; a guessed token counts against the same route.
      expect((await from('198.51.100.2')).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/api/v1/public/not-a-token/maintenance.ics', remoteAddress: '203.0.113.7' })).statusCode).toBe(429);
      // Signed-in routes are not limited by it.
      for (let i = 0; i < 5; i++) expect((await call(app, w.agent, { method: 'GET', url: '/api/v1/maintenance' })).statusCode).toBe(200);
    });
  });
}
