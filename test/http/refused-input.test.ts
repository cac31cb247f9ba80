/**
 * Input that makes no sense is refused with a coded, translated 400 and changes
 * nothing: instants outside the calendar's years (the Japanese holiday data's),
 * a receivedAt before the contract or in the future, repeated ids, unknown fields,
 * NUL and lone surrogates in text. Each was a 500 or a silent acceptance before
 * (found by hand and by test/http/fuzz.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

const NOW = Date.parse('2026-04-01T10:00:00+09:00');

for (const dialect of testDialects) {
  describe(`refused input (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(NOW);
    let app: FastifyInstance;
    let w: World;

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    const post = (url: string, payload: object, lang = 'en') => call(app, w.admin, { method: 'POST', url, payload, headers: { 'accept-language': lang } });

    it('a notice query past the holiday data is a 400 naming the years, in the reader\'s language', async () => {
      const url = `/api/v1/contracts/${w.a.contractId}/maintenance-notice?startsAt=${encodeURIComponent('2060-01-05T02:00:00+09:00')}`;
      const en = await call(app, w.admin, { method: 'GET', url, headers: { 'accept-language': 'en' } });
      expect(en.statusCode).toBe(400);
      expect(en.json()).toMatchObject({ code: 'calendar.out_of_range', message: expect.stringContaining('1970–2050'), issues: [] });
      const ja = await call(app, w.admin, { method: 'GET', url, headers: { 'accept-language': 'ja' } });
      expect(ja.json()).toMatchObject({ code: 'calendar.out_of_range', message: expect.stringContaining('1970年〜2050年') });
      const before = await call(app, w.admin, { method: 'GET', url: url.replace('2060', '1960') });
      expect(before.json()).toMatchObject({ code: 'calendar.out_of_range' });
    });

    it('a maintenance window past the holiday data is refused and not stored; the list keeps working', async () => {
      const r = await post('/api/v1/maintenance', { contractId: w.a.contractId, title: 'far future', startsAt: '2060-01-05T02:00:00+09:00', endsAt: '2060-01-05T04:00:00+09:00' });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'calendar.out_of_range' });
      const list = await call(app, w.admin, { method: 'GET', url: '/api/v1/maintenance?from=2059-01-01T00:00:00Z' });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual({ items: [] });
      const all = await call(app, w.admin, { method: 'GET', url: '/api/v1/maintenance' });
      expect(all.statusCode).toBe(200);
    });

    it('refuses a receivedAt before the contract starts or more than five minutes ahead; a little clock skew passes', async () => {
      const file = (receivedAt: string) => post('/api/v1/incidents', { contractId: w.a.contractId, title: 'call', priority: 'minor', receivedAt });
      const early = await file('2025-12-31T23:00:00+09:00');
      expect(early.statusCode).toBe(400);
      expect(early.json()).toMatchObject({ code: 'incident.invalid', issues: [{ path: ['body', 'receivedAt'], message: expect.stringContaining('2026-01-01') }] });
      const ahead = await file(new Date(NOW + 6 * 60_000).toISOString());
      expect(ahead.statusCode).toBe(400);
      expect(ahead.json()).toMatchObject({ issues: [{ path: ['body', 'receivedAt'] }] });
      const skew = await file(new Date(NOW + 2 * 60_000).toISOString());
      expect(skew.statusCode).toBe(201);
      const far = await file('0001-01-01T00:00:00Z');
      expect(far.statusCode).toBe(400);
    });

    it('repeated ids in a contract are a 400 at the repeat, not a 500', async () => {
      const r = await call(app, w.admin, {
        method: 'PATCH', url: `/api/v1/contracts/${w.a.contractId}`, headers: { 'accept-language': 'en' },
        payload: { systemIds: [w.a.systemId, w.a.systemId], deputyContactIds: [w.a.contactId, w.a.contactId], engineerIds: [w.agent.userId, w.agent.userId] },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({
        code: 'validation.failed',
        issues: [
          { path: ['body', 'systemIds', 1], message: 'Listed more than once.' },
          { path: ['body', 'deputyContactIds', 1] },
          { path: ['body', 'engineerIds', 1] },
        ],
      });
    });

    it('unknown fields are refused on the bodies that dropped them (monitors, maintenance, mail)', async () => {
      const monitor = await post('/api/v1/monitors', { contractId: w.a.contractId, systemId: w.a.systemId, name: 'web', kind: 'http', url: 'http://127.0.0.1:9/', intervalSeconds: 30 });
      expect(monitor.statusCode).toBe(400);
      expect(monitor.json()).toMatchObject({ issues: [{ path: ['body'], code: 'unrecognized_keys' }] });
      const window = await post('/api/v1/maintenance', { contractId: w.a.contractId, title: 't', startsAt: '2026-05-20T02:00:00+09:00', endsAt: '2026-05-20T03:00:00+09:00', annnounce: true });
      expect(window.statusCode).toBe(400);
      const settings = await call(app, w.admin, { method: 'PUT', url: `/api/v1/contracts/${w.a.contractId}/maintenance-settings`, payload: { noticeBusinessDays: 3, noticeDays: 5 } });
      expect(settings.statusCode).toBe(400);
    });

    it('a calendar document with an unbounded list is refused (a 20,000-entry closure list was stored)', async () => {
      const closures = Array.from({ length: 20_000 }, () => ({ from: '2026-08-10', to: '2026-08-14' }));
      const r = await post('/api/v1/calendars', { name: 'huge', document: { timeZone: 'Asia/Tokyo', weekly: {}, closures } });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ issues: [{ path: ['body', 'document', 'closures'], message: expect.stringContaining('1000') }] });
    });

    it('a body that is not UTF-8 is refused as unreadable, not stored with replacement characters', async () => {
      for (const bad of [[0xff, 0xfe], [0xc3, 0x28], [0xed, 0xa0, 0x80]]) {
        const payload = Buffer.concat([Buffer.from('{"notes":"memo '), Buffer.from(bad), Buffer.from('"}')]);
        const r = await call(app, w.admin, { method: 'PATCH', url: `/api/v1/clients/${w.a.clientId}`, payload, headers: { 'content-type': 'application/json' } });
        expect(r.statusCode, JSON.stringify(bad)).toBe(400);
        expect(r.json()).toMatchObject({ code: 'request.bad_json' });
      }
      const client = await call(app, w.admin, { method: 'GET', url: `/api/v1/clients/${w.a.clientId}` });
      expect(client.json()).toMatchObject({ notes: '' });
    });

    it('NUL and lone surrogates are refused in text, with the field and a translated reason', async () => {
      for (const title of ['a\u0000b', 'x\ud800', '\udc00y']) {
        const r = await post('/api/v1/incidents', { contractId: w.a.contractId, title, priority: 'minor' }, 'ja');
        expect(r.statusCode, JSON.stringify(title)).toBe(400);
        expect(r.json()).toMatchObject({ issues: [{ path: ['body', 'title'], code: 'custom', message: expect.stringContaining('NUL') }] });
      }
      const client = await call(app, w.admin, { method: 'PATCH', url: `/api/v1/clients/${w.a.clientId}`, payload: { notes: 'memo\u0000' } });
      expect(client.statusCode).toBe(400);
      // A real astral character (a surrogate pair) is text.
      const ok = await post('/api/v1/incidents', { contractId: w.a.contractId, title: '𠮷野家の端末 😀', priority: 'minor' });
      expect(ok.statusCode).toBe(201);
    });
  });
}
