/**
 * The monthly report's change-request, risk and security-incident sections over HTTP, on both
 * dialects: a change request with an approved proposal, a risk whose level changed and was
 * reviewed, a security incident whose first report came late — all in December — appear in
 * December's HTML (with links to their console pages) and CSV with the right figures, not in
 * November's; the figures are frozen at issue and a later review shows as "changed since issue".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApiToken, createUser } from '../../src/modules/auth/auth.service.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, PASSWORD, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';
import { riskBody } from './risk-fixtures.ts';

const at = (s: string) => Date.parse(`${s}+09:00`);
const iso = (ms: number) => new Date(ms).toISOString();

for (const dialect of testDialects) {
  describe(`report sections: change requests, risks, security incidents (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(at('2026-12-01T10:00:00'));
    let app: FastifyInstance;
    let w: World;
    let cr = { id: '', number: 0 };
    let moved = { id: '', number: 0 };
    let risk = { id: '', number: 0 };
    let sec = { id: '', number: 0 };

    const post = async (who: Caller, url: string, payload: object = {}, status?: number) => {
      const r = await call(app, who, { method: 'POST', url: `/api/v1${url}`, payload });
      if (status !== undefined) expect(r.statusCode, r.body).toBe(status);
      return r;
    };
    const get = (who: Caller, url: string) => call(app, who, { method: 'GET', url: `/api/v1${url}` });
    const html = async (month: string, lang = 'ja') => {
      const r = await get(w.agent, `/reports/preview/${w.a.contractId}/${month}/html?lang=${lang}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.body;
    };
    const csv = async (month: string, table: string, lang = 'en') => {
      const r = await get(w.agent, `/reports/preview/${w.a.contractId}/${month}/csv/${table}?lang=${lang}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.rawPayload.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    };
    const section = (doc: string, id: string) => new RegExp(`<section id="s-${id}">(.*?)</section>`).exec(doc)?.[1] ?? '';

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      const user = await createUser(t.db, { email: 'desk@clienta.example', name: 'A 窓口 山田', role: 'contact', clientId: w.a.clientId, password: PASSWORD }, clock());
      const { token } = await createApiToken(t.db, { userId: user.id, name: 'portal' });
      const designated: Caller = { role: 'contact', userId: user.id, clientId: w.a.clientId, email: user.email, headers: { authorization: `Bearer ${token}` } };

      // A change received, answered and approved in November, worked in December: listed in both
      // months, its approval and answer counted in November only.
      clock.set(at('2026-11-20T10:00:00'));
      moved = (await post(w.agent, '/change-requests', { contractId: w.a.contractId, systemIds: [w.a.systemId], title: 'バックアップ世代数の変更' }, 201)).json();
      clock.set(at('2026-11-20T15:00:00'));
      await post(w.agent, `/change-requests/${moved.id}/feasible`, {}, 200);
      const movedSent = (await post(w.agent, `/change-requests/${moved.id}/proposals`, {
        effortAmount: 1, effortUnit: 'person_days', amountJpy: 100_000, plan: '世代数を7から14に変更します', impact: 'なし', backout: '設定を戻します',
        windowStartsAt: '2026-12-04T20:00:00+09:00', windowEndsAt: '2026-12-04T21:00:00+09:00', validUntil: '2026-12-31', send: true,
      }, 201)).json() as { proposals: Array<{ contentHash: string }> };
      clock.set(at('2026-11-25T11:00:00'));
      await post(designated, `/change-requests/${moved.id}/approve`, { version: 1, contentHash: movedSent.proposals[0]!.contentHash }, 200);

      // Change request: received Tue 1 Dec 10:00, judged feasible the same day (target 3 business days), proposal v1 approved.
      clock.set(at('2026-12-01T10:00:00'));
      cr = (await post(w.agent, '/change-requests', { contractId: w.a.contractId, systemIds: [w.a.systemId], title: '請求書の帳票レイアウト変更', reason: 'インボイス制度対応' }, 201)).json();
      clock.set(at('2026-12-01T15:00:00'));
      await post(w.agent, `/change-requests/${cr.id}/feasible`, { text: '対応可能です' }, 200);
      const sent = (await post(w.agent, `/change-requests/${cr.id}/proposals`, {
        effortAmount: 3, effortUnit: 'person_days', amountJpy: 450_000, plan: '帳票レイアウトを変更します', impact: '帳票出力が停止します', backout: '旧テンプレートに戻します',
        windowStartsAt: '2026-12-20T20:00:00+09:00', windowEndsAt: '2026-12-20T22:00:00+09:00', validUntil: '2026-12-31', send: true,
      }, 201)).json() as { proposals: Array<{ version: number; contentHash: string }> };
      clock.set(at('2026-12-02T11:00:00'));
      await post(designated, `/change-requests/${cr.id}/approve`, { version: 1, contentHash: sent.proposals[0]!.contentHash }, 200);
      await post(w.agent, `/change-requests/${moved.id}/schedule`, { startsAt: '2026-12-04T20:00:00+09:00', endsAt: '2026-12-04T21:00:00+09:00' }, 200);

      // Risk: registered 3 Dec at 3×4 (high), rescored 4 Dec to 5×4 (critical), reviewed 5 Dec.
      clock.set(at('2026-12-03T10:00:00'));
      risk = (await post(w.agent, '/risks', riskBody(w), 201)).json();
      clock.set(at('2026-12-04T10:00:00'));
      await post(w.agent, `/risks/${risk.id}/score`, { inherent: { likelihood: 5, impact: 4 }, reason: '再発' }, 200);
      // November's change is worked in its window on Fri 4 Dec (scheduled on 2 Dec, inside the notice rule).
      clock.set(at('2026-12-04T20:00:00'));
      await post(w.agent, `/change-requests/${moved.id}/start`, {}, 200);
      clock.set(at('2026-12-04T20:50:00'));
      await post(w.agent, `/change-requests/${moved.id}/finish`, { outcome: 'done', actualEffortAmount: 1, resultNotes: '世代数を変更しました' }, 200);
      clock.set(at('2026-12-05T10:00:00'));
      await post(w.agent, `/risks/${risk.id}/review`, { note: '月次レビュー' }, 200);

      // Security incident: discovered 7 Dec 09:30 (report due 24 h later), first report 8 Dec 10:00 → 30 minutes late.
      clock.set(at('2026-12-07T10:00:00'));
      sec = (await post(w.agent, '/security-incidents', { contractId: w.a.contractId, kind: 'malware', title: 'ウィルス検知: 業務端末', discoveredAt: iso(at('2026-12-07T09:30:00')) }, 201)).json();
      clock.set(at('2026-12-08T10:00:00'));
      await post(w.agent, `/security-incidents/${sec.id}/reports`, { kind: 'first', title: '第一報', body: '端末を隔離しました' }, 201);
      clock.set(at('2026-12-10T10:00:00'));
    });
    afterAll(async () => app?.close());

    it('December\'s change requests: state, feasibility on time, approved version, cost and tax in JPY, window, totals; linked to the console page', async () => {
      const s = section(await html('2026-12'), 'changeRequests');
      expect(s).toContain(`<a class="ref" href="/changes/${cr.id}" target="_top">CR-${cr.number}</a>`);
      expect(s).toContain('請求書の帳票レイアウト変更');
      expect(s).toContain('承認済み');
      expect(s).toContain('<td>v1</td>');
      expect(s).toContain('¥450,000');
      expect(s).toContain('¥45,000');
      expect(s).toContain('2026-12-20 20:00 – 2026-12-20 22:00');
      // November's change, worked this month, is listed; its approval and answer counted in November.
      expect(s).toContain(`CR-${moved.number}</a>`);
      expect(s).toContain('2件（当月の承認 1件）・実施可否回答 期限内 1件／期限超過 0件・当月に承認された費用 ¥450,000（消費税 ¥45,000）');
      const rows = await csv('2026-12', 'change_requests');
      expect(rows[0]).toBe('number,title,status,received_at,feasibility,feasibility_due,feasibility_answered_at,approved_version,approved_at,cost_proposal_version,amount_jpy,tax_jpy,window_start,window_end');
      expect(rows.find((r) => r.startsWith(`CR-${moved.number},`))).toMatch(/,Awaiting confirmation,2026-11-20 10:00,On time,/);
      expect(rows.find((r) => r.startsWith(`CR-${cr.number},`))).toMatch(new RegExp(`^CR-${cr.number},請求書の帳票レイアウト変更,Approved,2026-12-01 10:00,On time,2026-12-04 10:00,2026-12-01 15:00,1,2026-12-02 11:00,1,450000,45000,2026-12-20 20:00,2026-12-20 22:00$`));
    });

    it('December\'s risks: the new risk, its level change high → critical, the review, with the criteria version', async () => {
      const s = section(await html('2026-12', 'en'), 'risks');
      expect(s).toContain(`<a class="ref" href="/risks/${risk.id}" target="_top">R-${risk.number}</a>`);
      expect(s).toContain('New: 1 · level changes: 1 · reviews done: 1 · reviews overdue: 0 · residual risks accepted: 0');
      expect(s).toMatch(/High → Critical/i);
      expect(s).toContain('2026-12-05 10:00');
      expect(s).toContain('<td>v1</td>');
      const rows = await csv('2026-12', 'risks');
      expect(rows.slice(1).map((r) => r.split(',').slice(0, 4))).toEqual([
        ['new', `R-${risk.number}`, 'バックアップ未取得のまま本番運用', '2026-12-03 10:00'],
        ['level change', `R-${risk.number}`, 'バックアップ未取得のまま本番運用', '2026-12-04 10:00'],
        ['review', `R-${risk.number}`, 'バックアップ未取得のまま本番運用', '2026-12-05 10:00'],
      ]);
    });

    it('December\'s security incidents: kind, discovered, reported 30 minutes after its target, the first report', async () => {
      const s = section(await html('2026-12'), 'securityIncidents');
      expect(s).toContain(`<a class="ref" href="/security/${sec.id}" target="_top">S-${sec.number}</a>`);
      expect(s).toContain('マルウェア');
      expect(s).toContain('発見 1件・報告 期限内 0件／期限超過 1件・報告書 1件・対象外判断 0件');
      expect(s).toContain('<td>2026-12-07 09:30</td><td>2026-12-08 09:30</td><td>2026-12-08 10:00</td><td>違反</td><td>0:30</td>');
      expect(s).toContain('初報 (#1)');
      expect((await csv('2026-12', 'security_incidents'))[1]).toBe(`S-${sec.number},ウィルス検知: 業務端末,Malware,1,2026-12-07 09:30,2026-12-08 09:30,2026-12-08 10:00,Breached,30`);
      expect((await csv('2026-12', 'security_reports'))[1]).toBe(`S-${sec.number},First report,1,第一報,2026-12-08 10:00`);
    });

    it('November\'s report lists none of them and says so; November\'s own change counts there', async () => {
      const doc = await html('2026-11');
      const changes = section(doc, 'changeRequests');
      expect(changes).toContain(`CR-${moved.number}</a>`);
      expect(changes).toContain('1件（当月の承認 1件）・実施可否回答 期限内 1件／期限超過 0件・当月に承認された費用 ¥100,000（消費税 ¥10,000）');
      expect(section(doc, 'risks')).toContain('当月のリスクの動きはありません。');
      expect(section(doc, 'securityIncidents')).toContain('当月のセキュリティインシデントはありません。');
      expect(doc).not.toContain(cr.id);
      expect((await csv('2026-11', 'change_requests')).slice(1).map((r) => r.split(',')[0])).toEqual([`CR-${moved.number}`]);
      expect(await csv('2026-11', 'security_incidents')).toHaveLength(1);
    });

    it('the sections are frozen at issue; a later review of the month shows as "changed since issue"', async () => {
      const issued = (await post(w.agent, '/reports', { contractId: w.a.contractId, month: '2026-12' }, 201)).json() as { id: string };
      clock.set(at('2026-12-11T10:00:00'));
      await post(w.agent, `/risks/${risk.id}/review`, {}, 200);
      const r = (await get(w.agent, `/reports/${issued.id}?lang=ja`)).json() as { changes: Array<{ key: string; issued: number; now: number }> };
      expect(r.changes).toContainEqual({ key: 'risks.reviewsDone', label: '実施したリスクレビューの件数', issued: 1, now: 2, issuedText: '1', nowText: '2' });
      const frozen = await get(w.contactA, `/reports/${issued.id}/html?lang=ja`);
      expect(frozen.statusCode).toBe(200);
      expect(section(frozen.body, 'risks')).toContain('レビュー実施 1件');
      expect(section(frozen.body, 'changeRequests')).toContain('¥450,000');
    }, 120_000); // issuing prints two PDFs with Chromium: slow on a shared machine
  });
}
