/**
 * The monthly report over HTTP on both dialects: an agent previews last month, drills from
 * the breach figure to the incident's counted intervals, downloads CSV (BOM, headers), issues
 * it; the contact reads and acknowledges it, another client's contact cannot see it; a later
 * change shows as "changed since issue" and a revision keeps the first; sending is recorded.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';
import type { ReportData } from '../../src/modules/reports/report.data.ts';

// Monday 2026-11-02 10:00 in Tokyo.
const T0 = Date.parse('2026-11-02T10:00:00+09:00');
const MIN = 60_000;
const DEC = Date.parse('2026-12-03T09:00:00+09:00');

for (const dialect of testDialects) {
  describe(`monthly SLA report over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    let app: FastifyInstance;
    let w: World;
    let breachedNumber = 0;
    let reportId = '';
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      const post = (who: Caller, url: string, payload: object = {}) => call(app, who, { method: 'POST', url, payload });
      const file = async (title: string, priority: string, receivedAt: number, category = 'bug') => {
        clock.set(receivedAt);
        const r = await post(w.agent, '/api/v1/incidents', {
          contractId: w.a.contractId, systemId: w.a.systemId, title, channel: 'phone', category, priority,
          receivedAt: new Date(receivedAt - 3 * MIN).toISOString(), reporter: { contactId: w.a.contactId },
        });
        expect(r.statusCode, r.body).toBe(201);
        return r.json() as { id: string; number: number };
      };
      // 1: urgent, work started 12 minutes after recognition (start target 10 min → breached, met late).
      const a = await file('受注画面が開かない', 'urgent', T0);
      breachedNumber = a.number;
      clock.set(T0 + 12 * MIN);
      await post(w.agent, `/api/v1/incidents/${a.id}/start`);
      clock.set(T0 + 60 * MIN);
      await post(w.agent, `/api/v1/incidents/${a.id}/wait`, { reason: 'ログの提供をお願いしました' });
      clock.set(T0 + 90 * MIN);
      await post(w.agent, `/api/v1/incidents/${a.id}/resume`);
      clock.set(T0 + 120 * MIN);
      await post(w.agent, `/api/v1/incidents/${a.id}/resolve`, { cause: 'DB接続数の上限', fix: '上限を引き上げ', courseOfEvents: '10:00 受付、12:00 解決' });
      // 2: minor, received on the last Monday of the month, started in time, still open at month end.
      const NOV30 = Date.parse('2026-11-30T10:00:00+09:00');
      const b = await file('帳票の文字化け', 'minor', NOV30);
      clock.set(NOV30 + 5 * MIN);
      await post(w.agent, `/api/v1/incidents/${b.id}/start`);
      // 3: out of scope, billable.
      const c = await file('Excelの使い方', 'minor', T0 + 4 * 86_400_000, 'inquiry');
      clock.set(T0 + 4 * 86_400_000 + MIN);
      const s = await post(w.agent, `/api/v1/incidents/${c.id}/scope`, { inScope: false, reason: '契約範囲外の操作説明', billable: true });
      expect(s.statusCode, s.body).toBe(200);
      clock.set(DEC);
    });
    afterAll(async () => app?.close());

    const get = (who: Caller, url: string) => call(app, who, { method: 'GET', url });
    const post = (who: Caller, url: string, payload: object = {}) => call(app, who, { method: 'POST', url, payload });

    it('previews last month with every figure computed from the stored incidents', async () => {
      const r = await get(w.agent, `/api/v1/reports/preview/${w.a.contractId}/2026-11`);
      expect(r.statusCode, r.body).toBe(200);
      const p = r.json();
      expect(p).toMatchObject({ contractId: w.a.contractId, month: '2026-11', timeZone: 'Asia/Tokyo', issued: [] });
      expect(p.summary).toMatchObject({ incidents: 3, inScope: 2, outOfScope: 1, breaches: 1, policyVersions: [1] });
      expect(p.summary.breachList).toEqual([
        expect.objectContaining({ number: breachedNumber, kind: 'start', dueAt: new Date(T0 + 10 * MIN).toISOString(), metAt: new Date(T0 + 12 * MIN).toISOString(), lateMs: 2 * MIN, businessTime: false }),
      ]);
      expect(p.summary.openAtMonthEnd).toBeGreaterThan(0);
      // A contact never sees a draft month.
      expect((await get(w.contactA, `/api/v1/reports/preview/${w.a.contractId}/2026-11`)).statusCode).toBe(403);
      // Bad month: a coded, translated error.
      const bad = await call(app, w.agent, { method: 'GET', url: `/api/v1/reports/preview/${w.a.contractId}/2026-13`, headers: { 'accept-language': 'en' } });
      expect(bad.statusCode).toBe(400);
    });

    it('HTML: sections, charts, the footnote, and the breach figure drills to the incident with counted and paused intervals', async () => {
      const r = await get(w.agent, `/api/v1/reports/preview/${w.a.contractId}/2026-11/html?lang=ja`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
      const html = r.body;
      expect(html).toContain('<html lang="ja">');
      for (const h of ['SLA達成状況', 'SLA違反', '受付から認識までの時間', '稼働率と停止', '計画メンテナンス', '変更要求', 'リスク', 'セキュリティインシデント']) expect(html).toContain(h);
      for (const none of ['当月の変更要求はありません。', '当月のリスクの動きはありません。', '当月のセキュリティインシデントはありません。']) expect(html).toContain(none);
      expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(4);
      expect(html).toContain('集計の月の決め方');
      // The lag chart's buckets are in the reader's words, not the core's codes.
      expect(html).toContain('5分以内');
      expect(html).not.toContain('≦5m');
      // The breach card links to the list of incidents behind it, which links to the incident's row.
      expect(html).toMatch(/<a class="n" href="#d-breaches">1<\/a>/);
      const drill = /<div class="drill" id="d-breaches">(.*?)<\/div>/.exec(html)?.[1] ?? '';
      expect(drill).toContain(`href="#inc-${breachedNumber}"`);
      // Its heading says what it counts (incidents), and the lists follow the report's sections, not the alphabet.
      expect(drill).toContain('<h4>SLA違反（インシデント 1 件）</h4>');
      const lists = [...html.matchAll(/<div class="drill" id="d-([^"]+)">/g)].map((m) => m[1]!);
      const at = (prefix: string) => lists.findIndex((k) => k.startsWith(prefix));
      expect(at('incidents.')).toBeGreaterThanOrEqual(0);
      expect(at('incidents.')).toBeLessThan(at('attainment.'));
      expect(at('attainment.')).toBeLessThan(at('breaches'));
      expect(at('breaches')).toBeLessThan(at('lag.'));
      // The cover names the zone in the reader's language, with the IANA name and offset the instants are in.
      expect(html).toContain('日本標準時（Asia/Tokyo、UTC+9:00）');
      const row = new RegExp(`<div class="incident" id="inc-${breachedNumber}">(.*?)</div>`).exec(html)?.[1] ?? '';
      expect(row).toContain('受注画面が開かない');
      // Resolution target (8 h calendar clock, pausable): counted 10:00–11:00 and 11:30–12:00, paused 11:00–11:30.
      const text = row.replace(/<span class="nw">|<\/span>/g, '');
      expect(text).toContain('2026-11-02 10:00–11:00<br>2026-11-02 11:30–12:00');
      expect(text).toContain('2026-11-02 11:00–11:30');
      const en = await get(w.agent, `/api/v1/reports/preview/${w.a.contractId}/2026-11/html?lang=en`);
      expect(en.body).toContain('Which month a figure belongs to');
      expect(en.body).toContain('≤ 5 min');
    });

    it('CSV: one file per table, UTF-8 with a BOM, translated headers, RFC 4180 quoting', async () => {
      const r = await get(w.agent, `/api/v1/reports/preview/${w.a.contractId}/2026-11/csv/breaches?lang=ja`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/csv/);
      const bytes = r.rawPayload;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      const lines = text.split('\r\n');
      expect(lines[0]).toBe('番号,件名,優先度,目標,ポリシー版,期限,達成日時,遅延(分),遅延の時計,原因');
      expect(lines[1]).toBe(`${breachedNumber},受注画面が開かない,緊急,着手,1,2026-11-02 10:10,2026-11-02 10:12,2,24時間,DB接続数の上限`);
      const oos = (await get(w.agent, `/api/v1/reports/preview/${w.a.contractId}/2026-11/csv/out_of_scope?lang=en`)).rawPayload.subarray(3).toString('utf8');
      expect(oos.split('\r\n')[0]).toBe('number,title,category,reason,billable');
      expect(oos).toContain('Excelの使い方,Inquiry,契約範囲外の操作説明,1');
      // Statuses are words of the reader's language, not the desk's internal codes.
      for (const [lang, resolved] of [['ja', '解決済み'], ['en', 'Resolved']] as const) {
        const rows = (await get(w.agent, `/api/v1/reports/preview/${w.a.contractId}/2026-11/csv/incidents?lang=${lang}`)).rawPayload.subarray(3).toString('utf8').split('\r\n');
        const row = rows.find((l) => l.startsWith(`${breachedNumber},`)) ?? '';
        expect(row.split(',')[4], row).toBe(resolved);
        expect(rows.slice(1).join('\n')).not.toMatch(/,(in_progress|waiting_for_client|solution_proposed),/);
      }
    });

    it('issues a frozen report the contact reads and acknowledges; another client\'s contact cannot see it', async () => {
      const r = await post(w.agent, '/api/v1/reports', { contractId: w.a.contractId, month: '2026-11' });
      expect(r.statusCode, r.body).toBe(201);
      const meta = r.json();
      expect(meta).toMatchObject({ month: '2026-11', revision: 1, contractId: w.a.contractId, acknowledgedAt: null });
      reportId = meta.id;
      const list = (await get(w.contactA, '/api/v1/reports')).json();
      expect(list.items.map((x: { id: string }) => x.id)).toContain(reportId);
      expect((await get(w.contactB, '/api/v1/reports')).json().items).toEqual([]);
      expect((await get(w.contactB, `/api/v1/reports/${reportId}`)).statusCode).toBe(404);
      expect((await get(w.contactB, `/api/v1/reports/${reportId}/html`)).statusCode).toBe(404);
      const seen = (await get(w.contactA, `/api/v1/reports/${reportId}`)).json();
      expect(seen.changes).toBeNull();
      expect(seen.files.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['report.ja.html', 'report.en.html', 'ja/breaches.csv', 'en/incidents.csv']));
      const frozen = await get(w.contactA, `/api/v1/reports/${reportId}/html?lang=ja`);
      expect(frozen.body).toContain(`第${meta.number}号`);
      expect(frozen.body).toContain('第1版');
      const csv = await get(w.contactA, `/api/v1/reports/${reportId}/csv/incidents?lang=ja`);
      expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      // The stored figures keep the rows the HTML shows and count the listed incidents; the CSV files, written at issue, hold every row.
      const stored = JSON.parse((await t.db.selectFrom('reports').select('figures').where('id', '=', reportId).executeTakeFirstOrThrow()).figures) as ReportData;
      const listed = csv.rawPayload.toString('utf8').trimEnd().split('\r\n').length - 1;
      expect(listed).toBeGreaterThanOrEqual(3);
      expect(stored.figures).toMatchObject({ rows: 'appendix', listedCount: listed, lagRows: [] });
      const lagCsv = await get(w.contactA, `/api/v1/reports/${reportId}/csv/lag?lang=ja`);
      expect(lagCsv.rawPayload.toString('utf8').trimEnd().split('\r\n').length - 1).toBe(stored.figures.incidents.total);
      // Only a contact acknowledges; twice changes nothing.
      expect((await post(w.agent, `/api/v1/reports/${reportId}/acknowledge`)).statusCode).toBe(403);
      expect((await post(w.contactB, `/api/v1/reports/${reportId}/acknowledge`)).statusCode).toBe(404);
      const ack = await post(w.contactA, `/api/v1/reports/${reportId}/acknowledge`);
      expect(ack.statusCode, ack.body).toBe(200);
      expect(ack.json()).toMatchObject({ acknowledgedAt: new Date(DEC).toISOString(), acknowledgedByName: expect.any(String) });
      clock.set(DEC + MIN);
      expect((await post(w.contactA, `/api/v1/reports/${reportId}/acknowledge`)).json().acknowledgedAt).toBe(new Date(DEC).toISOString());
    }, 120_000); // issuing prints two PDFs with Chromium: slow on a shared machine

    it.skipIf(!fs.existsSync('/usr/bin/chromium'))('the issued PDF: real Japanese text (pdftotext gives it back), TrueType/CID fonts, none Type 3; cover, header, page numbers', async () => {
      const r = await get(w.contactA, `/api/v1/reports/${reportId}/pdf?lang=ja`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-report-pdf-'));
      const file = path.join(dir, 'r.pdf');
      fs.writeFileSync(file, r.rawPayload);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
      fs.rmSync(dir, { recursive: true, force: true });
      // Line breaks fall where the layout wraps; the characters themselves must come back exactly.
      const flat = text.replace(/\s+/g, '');
      for (const s of ['月次SLA報告書', 'Client A 保守契約', '2026年11月', '受注画面が開かない', 'DB接続数の上限', '集計の月の決め方：インシデントは受付日時の月（契約のタイムゾーン）に数えます。']) {
        expect(flat).toContain(s.replace(/\s+/g, ''));
      }
      expect(text).toMatch(/ページ 1 \/ \d+/);
      expect(fonts).not.toMatch(/Type 3/);
      expect(fonts).toMatch(/CID TrueType/);
      // English too.
      const en = await get(w.contactA, `/api/v1/reports/${reportId}/pdf?lang=en`);
      expect(en.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }, 60_000);

    it('a later change shows as "changed since issue"; a revision (版数) keeps the first', async () => {
      clock.set(DEC + 10 * MIN);
      // The open minor incident turns out to be out of scope.
      const open = (await get(w.agent, `/api/v1/incidents?contractId=${w.a.contractId}&limit=50`)).json().items.find((x: { title: string }) => x.title === '帳票の文字化け');
      expect((await post(w.agent, `/api/v1/incidents/${open.id}/scope`, { inScope: false, reason: '仕様どおり' })).statusCode).toBe(200);
      const again = (await get(w.agent, `/api/v1/reports/${reportId}?lang=ja`)).json();
      expect(again.changes).toEqual(expect.arrayContaining([
        { key: 'incidents.outOfScope', label: '受付件数（契約範囲外）', issued: 1, now: 2, issuedText: '1', nowText: '2' },
        { key: 'incidents.inScope', label: '受付件数（契約範囲内）', issued: 2, now: 1, issuedText: '2', nowText: '1' },
        { key: 'open', label: '月末継続中の目標の件数', issued: 1, now: 0, issuedText: '1', nowText: '0' },
        { key: 'attainment.propose.minor.open', label: 'SLA達成状況: 解決策提示・軽微・月末継続中', issued: 1, now: 0, issuedText: '1', nowText: '0' },
      ]));
      // Every changed figure has a human name and shown values — no internal key leaks to the reader.
      for (const c of again.changes as Array<{ key: string; label: string; issuedText: string; nowText: string }>) {
        expect(c.label).not.toMatch(/report\.|attainment\.|incidents\.|\{/);
        expect(c.label).not.toBe(c.key);
        expect(c.issuedText).not.toBe('');
        expect(c.nowText).not.toBe('');
      }
      // In English on request (else the reader's language), same figures and order.
      const en = (await get(w.agent, `/api/v1/reports/${reportId}?lang=en`)).json();
      expect(en.changes.map((c: { key: string }) => c.key)).toEqual(again.changes.map((c: { key: string }) => c.key));
      expect(en.changes).toEqual(expect.arrayContaining([
        expect.objectContaining({ key: 'incidents.outOfScope', label: 'Incidents out of scope', issuedText: '1', nowText: '2' }),
        expect.objectContaining({ key: 'attainment.propose.minor.open', label: 'SLA attainment: Solution proposed, Minor, Open' }),
      ]));
      // The issued files did not change.
      expect((await get(w.agent, `/api/v1/reports/${reportId}`)).json().summary.outOfScope).toBe(1);
      const rev = await post(w.agent, '/api/v1/reports', { contractId: w.a.contractId, month: '2026-11', note: '範囲外の判定を反映' });
      expect(rev.statusCode).toBe(201);
      expect(rev.json()).toMatchObject({ revision: 2, note: '範囲外の判定を反映' });
      const revs = (await get(w.agent, `/api/v1/reports?contractId=${w.a.contractId}&month=2026-11`)).json().items;
      expect(revs.map((x: { revision: number }) => x.revision)).toEqual([2, 1]);
      expect((await get(w.agent, `/api/v1/reports/${rev.json().id}`)).json().changes).toEqual([]);
    }, 120_000);

    it('sends an issued report to the contract\'s contacts after commit, recorded on the report', async () => {
      const r = await post(w.agent, `/api/v1/reports/${reportId}/send`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().recipients).toEqual(['desk@clienta.example']);
      const jobs = await t.db.selectFrom('jobs').select(['kind', 'payload']).where('kind', '=', 'mail.outbound').execute();
      const mail = jobs.map((j) => JSON.parse(j.payload)).find((p) => String(p.subject).includes('月次SLA報告書'));
      expect(mail).toMatchObject({ to: ['desk@clienta.example'] });
      expect(mail.text).toContain(`/portal/reports/${reportId}`);
      const seen = (await get(w.agent, `/api/v1/reports/${reportId}`)).json();
      expect(seen.sends).toEqual([expect.objectContaining({ recipients: ['desk@clienta.example'] })]);
      expect((await post(w.contactA, `/api/v1/reports/${reportId}/send`)).statusCode).toBe(403);
    });
  });
}
