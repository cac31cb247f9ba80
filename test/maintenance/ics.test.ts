/**
 * The public ICS feed, parsed with an independent parser (ical.js): valid
 * RFC 5545 structure, one VEVENT per announced window with a stable UID, the
 * SEQUENCE bumped on reschedule, STATUS:CANCELLED after cancelling, drafts left
 * out, lines folded at 75 octets with CRLF, and the token as the only key.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { anonymous, call, fixedClock, makeApp } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';

const JST = (s: string) => Date.parse(`${s}+09:00`);

function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return {
    cal,
    events: cal.getAllSubcomponents('vevent').map((c) => {
      const e = new ICAL.Event(c);
      return {
        uid: e.uid,
        summary: e.summary,
        start: e.startDate.toJSDate().getTime(),
        end: e.endDate.toJSDate().getTime(),
        sequence: e.sequence,
        status: c.getFirstPropertyValue('status'),
        stamp: c.getFirstPropertyValue('dtstamp'),
      };
    }),
  };
}

for (const dialect of testDialects) {
  describe(`maintenance ICS feed (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(JST('2026-03-09T10:00:00'));
    let app: FastifyInstance;
    let w: World;
    let url: string;

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    const feed = () => call(app, anonymous, { method: 'GET', url });

    it('publishes under an unguessable token and serves valid RFC 5545', async () => {
      const pub = await call(app, w.agent, { method: 'POST', url: `/api/v1/contracts/${w.a.contractId}/publication` });
      expect(pub.statusCode, pub.body).toBe(201);
      const { token, icsUrl, settings } = pub.json() as { token: string; icsUrl: string; settings: { published: boolean; publicTokenPrefix: string } };
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(settings).toMatchObject({ published: true, publicTokenPrefix: token.slice(0, 6) });
      url = new URL(icsUrl).pathname;
      expect(url).toBe(`/api/v1/public/${token}/maintenance.ics`);
      // Only a hash is stored.
      const stored = await t.db.selectFrom('maintenanceSettings').select('publicTokenHash').where('contractId', '=', w.a.contractId).executeTakeFirstOrThrow();
      expect(stored.publicTokenHash).not.toContain(token);

      const mk = async (title: string, start: string, end: string, announce: boolean) => {
        const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/maintenance', payload: { contractId: w.a.contractId, systemId: w.a.systemId, title, description: '再起動を伴います。\n所要 2 時間', startsAt: `${start}+09:00`, endsAt: `${end}+09:00`, announce } });
        expect(r.statusCode, r.body).toBe(201);
        return (r.json() as { id: string }).id;
      };
      const a = await mk('ミドルウェア更新（長いタイトルで行の折り返しを確かめる：データベース・アプリケーションサーバー・ロードバランサー）', '2026-03-18T01:00:00', '2026-03-18T03:00:00', true);
      await mk('未告知の下書き', '2026-03-25T01:00:00', '2026-03-25T02:00:00', false);

      const r = await feed();
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
      const text = r.body;
      // CRLF line ends, and no content line longer than 75 octets (RFC 5545 §3.1).
      expect(text.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
      const { cal, events } = parse(text);
      expect(cal.name).toBe('vcalendar');
      expect(cal.getFirstPropertyValue('version')).toBe('2.0');
      expect(String(cal.getFirstPropertyValue('prodid'))).toMatch(/Hoshu/);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ uid: `${a}@hoshu`, start: JST('2026-03-18T01:00:00'), end: JST('2026-03-18T03:00:00'), sequence: 0, status: 'CONFIRMED' });
      expect(events[0]!.summary).toContain('データベース・アプリケーションサーバー');
      expect(events[0]!.stamp).toBeTruthy();

      // Rescheduled: the same event, a higher SEQUENCE, the new time.
      const moved = await call(app, w.agent, { method: 'PATCH', url: `/api/v1/maintenance/${a}`, payload: { startsAt: '2026-03-19T01:00:00+09:00', endsAt: '2026-03-19T04:00:00+09:00' } });
      expect(moved.statusCode, moved.body).toBe(200);
      const after = parse((await feed()).body).events;
      expect(after).toEqual([expect.objectContaining({ uid: `${a}@hoshu`, sequence: 1, start: JST('2026-03-19T01:00:00'), end: JST('2026-03-19T04:00:00') })]);

      // Cancelled: still there, marked cancelled, so subscribed calendars drop it.
      await call(app, w.agent, { method: 'POST', url: `/api/v1/maintenance/${a}/cancel`, payload: { reason: '延期' } });
      expect(parse((await feed()).body).events).toEqual([expect.objectContaining({ uid: `${a}@hoshu`, sequence: 2, status: 'CANCELLED' })]);

      // Recurring occurrences appear as events too.
      await call(app, w.agent, { method: 'POST', url: '/api/v1/maintenance-series', payload: { contractId: w.a.contractId, title: 'バックアップ', startTime: '02:00', endTime: '04:00', repeat: { kind: 'weekly', weekdays: ['sun'] }, firstDate: '2026-03-15', count: 3 } });
      const withSeries = parse((await feed()).body).events;
      expect(withSeries.filter((e) => e.summary.startsWith('バックアップ')).map((e) => e.start)).toEqual([JST('2026-03-15T02:00:00'), JST('2026-03-22T02:00:00'), JST('2026-03-29T02:00:00')]);
    });

    it('a wrong or withdrawn token gets the same 404; another contract\'s feed is not reachable by guessing', async () => {
      const wrong = await call(app, anonymous, { method: 'GET', url: `/api/v1/public/${'x'.repeat(43)}/maintenance.ics` });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.json().code).toBe('status_page.not_found');
      const un = await call(app, w.agent, { method: 'DELETE', url: `/api/v1/contracts/${w.a.contractId}/publication` });
      expect(un.json()).toMatchObject({ published: false });
      const gone = await feed();
      expect(gone.statusCode).toBe(404);
      expect(gone.body).toBe(wrong.body);
    });
  });
}
