/**
 * The SLA document (issue 12, "SLA document"): the demo contract's document in ja and en
 * has every section of the vendor's page filled from the contract and its policy version
 * (no ●/▲ or {{…}} left, nothing "not set"); a contact reads their own contract's document
 * in the version it follows and not another client's; an admin's template edit is a new
 * policy version that the document then follows, and a broken template is refused.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServices } from '../../src/http/services.ts';
import { loadDemoData } from '../../src/seed/demo.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, tokenCaller, type Caller } from './helpers.ts';

const NOW = Date.parse('2026-12-04T03:00:00Z');
const hasChromium = fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
if (!hasChromium && process.env.CI) throw new Error('/usr/bin/chromium is missing: apt-get install -y chromium fonts-ipaexfont-gothic poppler-utils');

/** What poppler reads back from a PDF: its text and its font table. */
function poppler(pdf: Buffer): { text: string; fonts: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-sla-'));
  const file = path.join(dir, 'sla.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return {
      text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
      fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the page shows as text, without tags (what a reader sees). */
const text = (html: string) => html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const JA_SECTIONS = ['SLAの目的', 'サービス提供の範囲', 'サービス提供の範囲外', 'サービスの提供期間', 'サービス概要', 'サービスの完了に至る目標値', '問合せに関する規定', 'セキュリティリスク', '相互協力', '更新履歴'];
const EN_SECTIONS = ['Purpose of this SLA', 'Scope of service', 'Out of scope', 'Service hours', 'Overview of the service', 'Service targets', 'Inquiries', 'Security risks', 'Mutual cooperation', 'Revision history'];

for (const dialect of testDialects) {
  describe(`SLA document (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(NOW);
    let app: FastifyInstance;
    let admin: Caller;
    let agent: Caller;
    let contact: Caller;
    let otherContact: Caller;
    let contractId: string;
    let otherContractId: string;
    let policyId: string;

    beforeAll(async () => {
      await loadDemoData(t.database, NOW);
      app = await makeApp(t.db, clock);
      const s = createServices({ db: t.db, clock });
      const sys = { userId: 'system', role: 'admin' as const, clientId: null };
      const clients = await s.clients.list(sys);
      const sakura = clients.find((c) => c.name === '株式会社さくら物流')!;
      const towa = clients.find((c) => c.name === '東和精機株式会社')!;
      const contracts = await s.contracts.list(sys);
      const demo = contracts.find((c) => c.name === '配送管理システム 保守契約')!;
      contractId = demo.id;
      policyId = demo.slaPolicyId;
      otherContractId = contracts.find((c) => c.clientId === towa.id)!.id;
      admin = await tokenCaller(t.db, 'admin');
      agent = await tokenCaller(t.db, 'agent');
      contact = await tokenCaller(t.db, 'contact', sakura.id);
      otherContact = await tokenCaller(t.db, 'contact', towa.id);
    });
    afterAll(async () => app?.close());

    const doc = async (who: Caller, id: string, lang: 'ja' | 'en') => {
      const r = await call(app, who, { method: 'GET', url: `/api/v1/contracts/${id}/sla-document?lang=${lang}` });
      return { status: r.statusCode, body: r.json() as { html: string; missing: string[]; policyVersion: number; lang: string; code?: string } };
    };

    it('renders the demo contract in Japanese with every section filled from the contract and the policy', async () => {
      const { status, body } = await doc(agent, contractId, 'ja');
      expect(status).toBe(200);
      expect(body.missing).toEqual([]);
      expect(body.html).toContain('<html lang="ja">');
      const words = text(body.html);
      for (const s of JA_SECTIONS) expect(words).toContain(s);
      expect(words).toContain('株式会社さくら物流 御中');
      expect(words).toContain('システム利用者 120名');
      expect(words).toContain('対象システム 配送管理システム');
      expect(words).toContain('システムバックアップ 午前2時～4時');
      expect(words).toContain('緊急性のあるバグ対応を除き2営業日前までに連絡');
      // The targets of the standard policy, in the page's words.
      expect(words).toContain('緊急 受領後10分以内に着手し、受領後8時間以内の解決を目途（24時間365日で計測）');
      expect(words).toContain('重要 受領後1営業日以内に着手し、着手から翌営業日の終業までの解決を目途（営業時間で計測）');
      // Two clocks in one row: each target says which it runs on.
      expect(words).toContain('軽微 受領後1営業日以内に着手（営業時間で計測）。受領後7日以内に何らかの解決策を提示（24時間365日で計測）');
      expect(words).toContain('メール（support@hoshu.example）または電話（03-0000-1111）');
      expect(words).toContain('月～金 9:00～18:00');
      expect(words).toContain('御社窓口担当 情報システム部 山田（代理：情報システム部 鈴木）');
      expect(words).toContain('弊社システム担当者 技術 一郎');
      expect(words).toContain('本契約で範囲外とするもの：PC固有の問題');
      expect(words).toMatch(/制定日 \d{4}年\d{2}月\d{2}日/);
      expect(words).toContain('ウィルスチェックが無いなど');
      for (const placeholder of ['●', '▲', '{{', '}}', '未設定']) expect(words).not.toContain(placeholder);
    });

    it('renders it in English too, with the same values', async () => {
      const { status, body } = await doc(agent, contractId, 'en');
      expect(status).toBe(200);
      expect(body.missing).toEqual([]);
      expect(body.html).toContain('<html lang="en">');
      const words = text(body.html);
      for (const s of EN_SECTIONS) expect(words).toContain(s);
      expect(words).toContain('System users 120 users');
      expect(words).toContain('System backup 2:00 a.m. to 4:00 a.m.');
      expect(words).toContain('at least 2 business days in advance');
      expect(words).toContain('Urgent Work starts within 10 minutes after receipt; resolution aimed for within 8 hours after receipt (counted 24/7)');
      expect(words).toContain('Mon–Fri 9:00–18:00');
      expect(words).toMatch(/Established [A-Z][a-z]+ \d{1,2}, \d{4}/);
      for (const placeholder of ['●', '▲', '{{', '}}', 'not set']) expect(words).not.toContain(placeholder);
    });

    it('serves the page itself for printing, sandboxed, in the language asked for or the reader\'s', async () => {
      const r = await call(app, contact, { method: 'GET', url: `/api/v1/contracts/${contractId}/sla-document.html`, headers: { 'accept-language': 'en' } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(String(r.headers['content-security-policy'])).toMatch(/^sandbox/);
      expect(r.body).toContain('Service Level Agreement (SLA)');
    });

    it.skipIf(!hasChromium)('prints it to PDF in both languages: the text comes back exactly, in embedded TrueType fonts, none Type 3', async () => {
      for (const lang of ['ja', 'en'] as const) {
        const r = await call(app, contact, { method: 'GET', url: `/api/v1/contracts/${contractId}/sla-document.pdf?lang=${lang}` });
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toBe('application/pdf');
        expect(String(r.headers['content-disposition'])).toMatch(/^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''/);
        const { text: got, fonts } = poppler(r.rawPayload);
        const flat = got.replace(/\s+/g, '');
        if (lang === 'ja') {
          for (const s of JA_SECTIONS) expect(flat).toContain(s);
          expect(flat).toContain('システム利用者120名');
          expect(flat).toContain('システムバックアップ午前2時～4時');
          expect(flat).toContain('受領後10分以内に着手し、受領後8時間以内の解決を目途');
          expect(flat).toContain('配送管理システム保守契約'); // the running header
        } else {
          for (const s of EN_SECTIONS) expect(got.replace(/\s+/g, ' ')).toContain(s);
          expect(got).toContain('2:00 a.m. to 4:00 a.m.');
        }
        expect(fonts).not.toMatch(/Type 3/);
        expect(fonts).toMatch(/IPAexGothic/);
        expect(fonts.split('\n').slice(2).filter((l) => l.trim()).every((l) => / yes /.test(l))).toBe(true);
      }
    }, 60_000);

    it('shows a contact their own contract\'s document and not another client\'s', async () => {
      expect((await doc(contact, contractId, 'ja')).status).toBe(200);
      const other = await doc(contact, otherContractId, 'ja');
      expect([other.status, other.body.code]).toEqual([404, 'contract.not_found']);
      expect((await doc(otherContact, contractId, 'en')).status).toBe(404);
    });

    it('refuses a template with a name the document does not have, or unbalanced sections, and changes nothing', async () => {
      const before = await call(app, admin, { method: 'GET', url: `/api/v1/sla-policies/${policyId}` });
      const bad = await call(app, admin, {
        method: 'PUT', url: `/api/v1/sla-policies/${policyId}/templates/ja`, headers: { 'accept-language': 'ja' },
        payload: { body: '<h1>{{title}}</h1>\n<p>{{contract.userCount}}</p>\n{{#targets}}{{priority}}', revisedOn: '2026-12-04' },
      });
      expect(bad.statusCode).toBe(400);
      const err = bad.json() as { code: string; issues: { message: string }[] };
      expect(err.code).toBe('sla_document.invalid_template');
      expect(err.issues[0]!.message).toContain('行目');
      const unknown = await call(app, admin, {
        method: 'PUT', url: `/api/v1/sla-policies/${policyId}/templates/en`,
        payload: { body: '<h1>{{title}}</h1>\n<p>{{contract.userCount}}</p>', revisedOn: '2026-12-04' },
      });
      expect((unknown.json() as { issues: { message: string }[] }).issues.map((i) => i.message)).toEqual([expect.stringContaining('contract.userCount')]);
      const after = await call(app, admin, { method: 'GET', url: `/api/v1/sla-policies/${policyId}` });
      expect((after.json() as { currentVersion: number }).currentVersion).toBe((before.json() as { currentVersion: number }).currentVersion);
    });

    it('an admin\'s template edit is a new policy version; the contract follows it and the revision date shows in the history', async () => {
      const current = await call(app, agent, { method: 'GET', url: `/api/v1/sla-policies/${policyId}/templates` });
      expect(current.statusCode).toBe(200);
      const tpl = current.json() as { version: number; templates: { ja: { body: string; source: string } } };
      expect(tpl.templates.ja.source).toBe('default');
      const body = tpl.templates.ja.body.replace('<h2>9. 相互協力</h2>', '<h2>9. 相互協力と定例会</h2>');
      const edited = await call(app, admin, {
        method: 'PUT', url: `/api/v1/sla-policies/${policyId}/templates/ja`,
        payload: { body, revisedOn: '2026-12-05', note: '定例会を追記' },
      });
      expect(edited.statusCode).toBe(201);
      const out = edited.json() as { version: number; templates: { ja: { source: string; fromVersion: number }; en: { source: string } } };
      expect(out.version).toBe(tpl.version + 1);
      expect(out.templates.ja).toMatchObject({ source: 'custom', fromVersion: out.version });
      expect(out.templates.en.source).toBe('default');

      const ja = await doc(contact, contractId, 'ja');
      expect(ja.body.policyVersion).toBe(out.version);
      const words = text(ja.body.html);
      expect(words).toContain('相互協力と定例会');
      expect(words).toContain('改訂日 2026年12月05日');
      expect(text((await doc(contact, contractId, 'en')).body.html)).toContain('Revised December 5, 2026');
      // The earlier version keeps its wording.
      const v1 = await call(app, agent, { method: 'GET', url: `/api/v1/sla-policies/${policyId}/templates?version=${tpl.version}` });
      expect((v1.json() as { templates: { ja: { source: string } } }).templates.ja.source).toBe('default');
      // Only an admin edits; an agent reads.
      const byAgent = await call(app, agent, { method: 'PUT', url: `/api/v1/sla-policies/${policyId}/templates/ja`, payload: { body, revisedOn: '2026-12-06' } });
      expect(byAgent.statusCode).toBe(403);
    });
  });
}
