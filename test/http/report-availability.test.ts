/**
 * The report's outages and maintenance as the client reads them, over HTTP on both dialects: an
 * outage seen while announced maintenance ran is marked as such (it is not downtime, and has no
 * incident), and each window shows its kind, when the work really ran and the time outside the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-11-02T10:00:00+09:00');
const DEC = Date.parse('2026-12-03T09:00:00+09:00');
const WINDOW = [Date.parse('2026-11-20T02:00:00+09:00'), Date.parse('2026-11-20T04:00:00+09:00')] as const;
const ACTUAL = [WINDOW[0] + 10 * MIN, WINDOW[1] + 25 * MIN] as const;
const iso = (ms: number) => new Date(ms).toISOString();

for (const dialect of testDialects) {
  describe(`report: outages and maintenance as the client reads them (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      const post = async (url: string, payload: object) => {
        const r = await call(app, w.agent, { method: 'POST', url, payload });
        expect(r.statusCode, r.body).toBeLessThan(300);
        return r.json() as { id: string; clientId: string };
      };
      const win = await post('/api/v1/maintenance', {
        contractId: w.a.contractId, systemId: w.a.systemId, kind: 'planned', title: 'DB更新', startsAt: iso(WINDOW[0]), endsAt: iso(WINDOW[1]), announce: true,
      });
      const m = await post('/api/v1/monitors', { contractId: w.a.contractId, systemId: w.a.systemId, name: 'web', kind: 'http', url: 'http://127.0.0.1:9/', enabled: false });
      clock.set(ACTUAL[1] + 30 * MIN);
      await post(`/api/v1/maintenance/${win.id}/actual`, { actualStart: iso(ACTUAL[0]), actualEnd: iso(ACTUAL[1]) });
      const outage = (id: string, from: number, to: number, muted: boolean) => t.db.insertInto('outages').values({
        id, monitorId: m.id, contractId: w.a.contractId, clientId: m.clientId, systemId: w.a.systemId, startedAt: from, confirmedAt: from + 2 * MIN, endedAt: to,
        muted: muted ? 1 : 0, incidentId: null, createdAt: from, updatedAt: to, endedBy: 'recovered', endReason: null,
      }).execute();
      await outage('outage-in-window', WINDOW[0] + 15 * MIN, WINDOW[0] + 60 * MIN, true);
      await outage('outage-unannounced', Date.parse('2026-11-10T10:00:00+09:00'), Date.parse('2026-11-10T10:12:00+09:00'), false);
      clock.set(DEC);
    });
    afterAll(async () => app?.close());

    const get = async (path: string) => {
      const r = await call(app, w.agent, { method: 'GET', url: `/api/v1/reports/preview/${w.a.contractId}/2026-11/${path}` });
      expect(r.statusCode, r.body).toBe(200);
      return r;
    };
    /** The text of each row of the first table after `marker`, cells joined by " | ". */
    const rowsAfter = (html: string, marker: string) => {
      const table = html.slice(html.indexOf(marker)).match(/<table[\s\S]*?<\/table>/)![0];
      return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<br>/g, ' ').replace(/<\/t[dh]>/g, ' | ').replace(/<[^>]+>/g, '').trim());
    };
    const maintenanceRow = (html: string) => rowsAfter(html, 'id="s-maintenance"');

    it('ja: the outage inside the window reads 計画メンテナンス中; the window shows its actual run and 25 minutes outside it', async () => {
      const html = (await get('html?lang=ja')).body;
      const outages = rowsAfter(html, '<h3>停止の一覧</h3>');
      expect(outages[0]).toMatch(/^システム \| 開始 \| 終了 \| 時間 \| /);
      expect(outages.slice(1)).toEqual([
        expect.stringMatching(/2026-11-10 10:00 \| 2026-11-10 10:12 \| 0:12 \| {2}\|$/),
        expect.stringMatching(/2026-11-20 02:15 \| 2026-11-20 03:00 \| 0:45 \| 計画メンテナンス中 \|$/),
      ]);
      const m = maintenanceRow(html);
      // Its kind is headed 種別: the column had borrowed the targets' heading 目標.
      expect(m[0]).toMatch(/^件名 \| 種別 \| 予定 \| 実績 \| /);
      expect(m[1]).toContain('| 2026-11-20 02:00–04:00 | 02:10–04:25 予定時間外 0:25 |');
    });

    it('en: the same in English, and the CSV carries both as columns', async () => {
      const html = (await get('html?lang=en')).body;
      expect(rowsAfter(html, '<h3>Outages</h3>')[2]).toMatch(/\| 0:45 \| During planned maintenance \|$/);
      expect(maintenanceRow(html)[1]).toContain('| 2026-11-20 02:00–04:00 | 02:10–04:25 Outside the window: 0:25 |');
      // Words alone in a cell are capitalised, as in the report's other tables.
      expect(maintenanceRow(html)[1]).toMatch(/^DB更新 \| Planned \| .* \| Announced in time \|$/);
      const csv = async (table: string, lang: string) => (await get(`csv/${table}?lang=${lang}`)).rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
      expect(await csv('outages', 'ja')).toEqual([
        'システム,開始,終了,時間(分),番号,計画メンテナンス中',
        expect.stringMatching(/,2026-11-10 10:00,2026-11-10 10:12,12,,0$/),
        expect.stringMatching(/,2026-11-20 02:15,2026-11-20 03:00,45,,1$/),
      ]);
      const maint = await csv('maintenance', 'en');
      expect(maint[0]).toBe('title,kind,start,end,actual_start,actual_end,announced_at,latest_allowed,in_time,emergency_reason');
      expect(maint[1]).toContain(',2026-11-20 02:00,2026-11-20 04:00,2026-11-20 02:10,2026-11-20 04:25,');
    });
  });
}
