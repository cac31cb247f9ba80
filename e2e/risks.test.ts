/**
 * The risk register in a real browser, in Japanese and in English: an agent registers a risk
 * (inherent and residual rating on the current criteria) and adds a control presented to the
 * client at once; the client's contact opens it in the portal, acknowledges the control
 * (who, when and which revision are shown) and formally accepts the residual risk until an
 * expiry date. Screenshots go to the temp directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase, startDesk, type RunningDesk } from '../src/main.ts';
import { loadDemoData, type DemoCredential } from '../src/seed/demo.ts';
import { startSmtp } from '../test/helpers/smtp.ts';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const DAY = 86_400_000;

const L = {
  ja: {
    login: undefined, nav: 'リスク管理', heading: 'リスク管理台帳', contract: '契約', title: '件名', likelihood: '発生可能性', impact: '影響度',
    withResidual: '残留リスクも評価する', residualL: '残留リスク: 発生可能性', residualI: '残留リスク: 影響度', register: '登録する',
    control: '対策', dueOn: '期日', addControl: '対策を追加', presented: '提示済み', portalNav: 'リスク一覧', acknowledge: '確認しました',
    acknowledged: '様が確認', expiresOn: '受容の期限日', until: '2027年3月31日', accept: '受容する', active: '有効', level: '重大',
    riskTitle: '夜間バッチの二重起動によるデータ不整合', controlTitle: 'ジョブ多重起動の排他制御を追加',
  },
  en: {
    login: { email: 'E-mail', password: 'Password', submit: 'Sign in' }, nav: 'Risks', heading: 'Risk register', contract: 'Contract', title: 'Title',
    likelihood: 'Likelihood', impact: 'Impact', withResidual: 'Rate the residual risk too', residualL: 'Residual risk: Likelihood',
    residualI: 'Residual risk: Impact', register: 'Register', control: 'Control', dueOn: 'Due date', addControl: 'Add a control', presented: 'Presented',
    portalNav: 'Risks', acknowledge: 'Acknowledge', acknowledged: 'Acknowledged by', expiresOn: 'Accepted until', until: '31 Mar 2027', accept: 'Accept', active: 'Active', level: 'Critical',
    riskTitle: 'Certificate expiry on the delivery API', controlTitle: 'Monitor certificate expiry 30 days ahead',
  },
} as const;

describe.skipIf(!hasChromium)('risk register in the web UI', () => {
  let t: TestDesk;
  beforeAll(async () => { t = await startTestDesk(); }, 120_000);
  afterAll(async () => { await t?.close(); });

  for (const lang of ['ja', 'en'] as const) {
    it(`agent registers a risk and presents a control; the contact acknowledges it and accepts the residual risk (${lang})`, async () => {
      const s = L[lang];
      const agent = await openBrowser({ locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
      const contact = await openBrowser({ locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
      try {
        // --- the agent ---
        const page = agent.page;
        await login(page, t.url, t.creds.agent, s.login);
        await page.getByRole('link', { name: s.nav, exact: true }).click();
        await page.getByRole('heading', { name: s.heading, level: 1 }).waitFor();
        if (lang === 'ja') {
          // Submitted empty: every problem is worded in Japanese, fields named by their labels.
          await page.getByRole('button', { name: s.register, exact: true }).click();
          const alert = page.getByRole('alert');
          await alert.waitFor();
          const text = await alert.innerText();
          expect(text).toContain('件名');
          expect(text.match(/[A-Za-z]+/g) ?? []).toEqual([]);
        }
        const contract = page.getByLabel(s.contract, { exact: true });
        await contract.selectOption((await contract.locator('option', { hasText: '配送管理システム 保守契約' }).getAttribute('value'))!);
        await page.getByLabel(s.title, { exact: true }).fill(s.riskTitle);
        await page.getByLabel(s.likelihood, { exact: true }).selectOption('4');
        await page.getByLabel(s.impact, { exact: true }).selectOption('5');
        await page.getByLabel(s.withResidual).check();
        await page.getByLabel(s.residualL, { exact: true }).selectOption('2');
        await page.getByLabel(s.residualI, { exact: true }).selectOption('2');
        await page.getByRole('button', { name: s.register, exact: true }).click();
        await page.waitForURL(/\/risks\/[0-9a-f-]{36}$/);
        const riskId = page.url().split('/').pop()!;
        await page.getByRole('heading', { name: new RegExp(s.riskTitle), level: 1 }).waitFor();
        await expect(page.getByText(s.level, { exact: true }).first().isVisible()).resolves.toBe(true);
        await page.getByLabel(s.control, { exact: true }).fill(s.controlTitle);
        await page.getByLabel(s.dueOn, { exact: true }).fill('2027-01-29');
        await page.getByRole('button', { name: s.addControl, exact: true }).click();
        const control = page.getByTestId('control').filter({ hasText: s.controlTitle });
        await control.getByText(new RegExp(s.presented)).waitFor();
        await page.getByLabel(/社内メモ|Internal note/).check();
        await page.getByLabel(lang === 'ja' ? 'メッセージ' : 'Message', { exact: true }).fill('社内メモ: 原価は当社負担');
        await page.getByRole('button', { name: lang === 'ja' ? '送信' : 'Send', exact: true }).click();
        await page.getByTestId('message').filter({ hasText: '社内メモ: 原価は当社負担' }).waitFor();
        await page.screenshot({ path: path.join(os.tmpdir(), `hoshu-risk-agent-${lang}.png`), fullPage: true });
        await page.getByRole('link', { name: s.heading }).click();
        await page.getByTestId('heatmap').waitFor();
        await page.screenshot({ path: path.join(os.tmpdir(), `hoshu-risk-list-${lang}.png`), fullPage: true });

        // --- the client's contact ---
        const p = contact.page;
        await login(p, t.url, t.creds.contact, s.login);
        await p.getByRole('link', { name: s.portalNav, exact: true }).click();
        await p.getByRole('link', { name: s.riskTitle }).click();
        await p.waitForURL(new RegExp(`/portal/risks/${riskId}$`));
        const seen = p.getByTestId('control').filter({ hasText: s.controlTitle });
        // The agent's internal note never reaches the portal.
        await expect(p.getByText('社内メモ: 原価は当社負担').count()).resolves.toBe(0);
        await seen.getByRole('button', { name: s.acknowledge, exact: true }).click();
        await seen.getByTestId('acknowledged').filter({ hasText: s.acknowledged }).waitFor();
        await expect(seen.getByRole('button', { name: s.acknowledge, exact: true }).count()).resolves.toBe(0);
        await p.getByLabel(new RegExp(`^${s.expiresOn}`)).fill('2027-03-31');
        await p.getByRole('button', { name: s.accept, exact: true }).click();
        const acceptance = p.getByTestId('acceptance');
        await acceptance.getByText(s.active, { exact: true }).waitFor();
        // The date in the reader's words, not ISO.
        await expect(acceptance.innerText()).resolves.toContain(s.until);
        await p.screenshot({ path: path.join(os.tmpdir(), `hoshu-risk-portal-${lang}.png`), fullPage: true });

        // What was recorded: who acknowledged which revision, who accepted which rating under which version.
        const r = await t.desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.creds.agent.email, password: t.creds.agent.password } });
        const cookie = r.cookies.find((c) => c.name === 'hoshu_session')!;
        const d = (await t.desk.http.inject({ method: 'GET', url: `/api/v1/risks/${riskId}`, headers: { cookie: `hoshu_session=${cookie.value}` } })).json() as {
          controls: Array<{ acknowledgedRevision: number | null; acknowledgedName: string | null }>;
          acceptances: Array<{ expiresOn: string; criteriaVersion: number; scoreRevision: number; residual: { score: number }; acceptedName: string }>;
        };
        expect(d.controls[0]).toMatchObject({ acknowledgedRevision: 1, acknowledgedName: '情報システム部 山田' });
        expect(d.acceptances).toEqual([expect.objectContaining({ expiresOn: '2027-03-31', criteriaVersion: 1, scoreRevision: 1, residual: expect.objectContaining({ score: 4 }), acceptedName: '情報システム部 山田' })]);

        // Back on the agent's page the acknowledgement shows too.
        await page.goto(`${t.url}/risks/${riskId}`);
        await control.getByTestId('acknowledged').waitFor();
      } finally {
        await agent.close();
        await contact.close();
      }
    });
  }

  it('an admin creates a new criteria version (1–3 × 1–3); the risks already rated keep theirs', async () => {
    const b = await openBrowser({ locale: 'ja-JP' });
    try {
      // A risk rated on v1 first (through the API, as the agent).
      const r = await t.desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.creds.agent.email, password: t.creds.agent.password } });
      const headers = { cookie: `hoshu_session=${r.cookies.find((c) => c.name === 'hoshu_session')!.value}`, 'x-csrf-token': (r.json() as { csrfToken: string }).csrfToken };
      const contractId = ((await t.desk.http.inject({ method: 'GET', url: '/api/v1/contracts', headers })).json() as { items: Array<{ id: string }> }).items[0]!.id;
      const ownerId = ((await t.desk.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers })).json() as { user: { id: string } }).user.id;
      const made = await t.desk.http.inject({ method: 'POST', url: '/api/v1/risks', headers, payload: { contractId, title: '保守切れミドルウェアの継続利用', category: 'vendor', source: 'vendor', ownerId, inherent: { likelihood: 4, impact: 5 } } });
      expect(made.statusCode, made.body).toBe(201);

      const page = b.page;
      await login(page, t.url, t.creds.admin);
      await page.getByRole('heading', { name: '障害キュー' }).waitFor();
      await page.goto(`${t.url}/risk-criteria`);
      await page.getByRole('heading', { name: 'リスク評価基準', level: 1 }).waitFor();
      const remove = page.getByRole('button', { name: '段階を削除' });
      for (const i of [4, 3, 7, 6]) await remove.nth(i).click();
      await page.getByLabel('変更の説明').fill('3 段階に簡素化');
      // The old bands "high ≥ 10" and "critical ≥ 17" cannot be reached on 3 × 3: refused, in Japanese.
      await page.getByRole('button', { name: 'バージョンを作成' }).click();
      const alert = page.getByRole('alert');
      await alert.getByText('このレベルの下限スコアは、最大スコア', { exact: false }).first().waitFor();
      expect((await alert.innerText()).match(/[A-Za-z]+/g) ?? []).toEqual([]);
      const levels = page.getByRole('button', { name: 'レベルを削除' });
      await levels.nth(3).click();
      await page.getByLabel('下限スコア').nth(2).fill('7');
      await page.getByRole('button', { name: 'バージョンを作成' }).click();
      const shown = page.getByTestId('criteria-version');
      await shown.getByText('v2', { exact: true }).waitFor();
      await expect(shown.innerText()).resolves.toContain('3 段階に簡素化');
      await page.screenshot({ path: path.join(os.tmpdir(), 'hoshu-risk-criteria-ja.png'), fullPage: true });

      // That risk was rated on v1 and stays so: 4 × 5 = 20 in v1's words.
      await page.goto(`${t.url}/risks`);
      await page.getByRole('link', { name: '保守切れミドルウェアの継続利用' }).click();
      await page.getByText('4 × 5 = 20 (起こりやすい × 重大)').waitFor();
      await expect(page.getByText('評価基準 v1', { exact: true }).count()).resolves.toBeGreaterThan(0);
      // New ratings offer the new scale only.
      await page.goto(`${t.url}/risks`);
      const options = page.getByLabel('発生可能性', { exact: true }).locator('option');
      await options.first().waitFor({ state: 'attached' });
      await expect(options.allInnerTexts()).resolves.toEqual(['1 まれ', '2 起こりにくい', '3 起こりうる']);
      await page.getByText(/^ほかの評価基準で評価されたリスク: v1: \d+$/).waitFor();
    } finally {
      await b.close();
    }
  });
});

/**
 * The review timer on a running desk whose clock the test moves: a critical risk is reviewed every
 * 14 days; at 14 days the owner gets one e-mail, 14 days later the owner and the admins get the
 * escalation, once, and the console's list shows the risk overdue and escalated.
 */
describe.skipIf(!hasChromium)('risk review timer on a running desk', () => {
  let desk: RunningDesk;
  let dir: string;
  let creds: Record<string, DemoCredential>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let offset = 0;
  const clock = () => Date.now() + offset;
  beforeAll(async () => {
    smtp = await startSmtp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-e2e-risk-'));
    const env = { HOSHU_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', HOSHU_RUN_JOBS: 'true', HOSHU_JOB_POLL_MS: '100', HOSHU_SMTP_URL: smtp.url };
    const { database } = await openDatabase(loadConfig(env), clock);
    creds = Object.fromEntries((await loadDemoData(database)).map((c) => [c.role, c]));
    desk = await startDesk(loadConfig(env), { database, clock, log: pino({ level: 'silent' }) });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    await smtp?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function session(who: 'agent' | 'admin'): Promise<Record<string, string>> {
    const r = await desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: creds[who]!.email, password: creds[who]!.password } });
    return { cookie: `hoshu_session=${r.cookies.find((c) => c.name === 'hoshu_session')!.value}`, 'x-csrf-token': (r.json() as { csrfToken: string }).csrfToken };
  }
  const waitFor = async (what: () => boolean, ms = 15_000) => {
    const until = Date.now() + ms;
    while (!what()) {
      if (Date.now() > until) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('fires once when due, escalates once when overdue, and the list shows it', async () => {
    const headers = await session('agent');
    const contracts = (await desk.http.inject({ method: 'GET', url: '/api/v1/contracts', headers })).json() as { items: Array<{ id: string }> };
    const me = (await desk.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers })).json() as { user: { id: string } };
    const created = await desk.http.inject({
      method: 'POST', url: '/api/v1/risks', headers,
      payload: { contractId: contracts.items[0]!.id, title: 'ディスク容量の逼迫', category: 'capacity', source: 'vendor', ownerId: me.user.id, inherent: { likelihood: 4, impact: 5 } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const risk = created.json() as { id: string; number: number };
    const mails = () => smtp.mails.filter((m) => m.text.includes(`/risks/${risk.id}`));

    offset = 14 * DAY + 60_000;
    await waitFor(() => mails().length === 1);
    expect(mails()[0]!.to).toEqual([creds.agent!.email]);
    expect(mails()[0]!.subject).toContain(`R-${risk.number}`);

    offset = 28 * DAY + 60_000;
    await waitFor(() => mails().length === 2);
    expect(mails()[1]!.to.sort()).toEqual([creds.agent!.email, creds.admin!.email].sort());
    // Several more sweeps: nothing fires again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(mails()).toHaveLength(2);

    const b = await openBrowser({ locale: 'ja-JP' });
    try {
      await login(b.page, desk.url.replace('0.0.0.0', '127.0.0.1'), creds.agent!);
      // The console's navigation counts the overdue reviews on every page (here: the queue).
      await expect(b.page.getByTestId('risk-overdue-count').innerText()).resolves.toBe('1');
      await b.page.getByRole('link', { name: /^リスク管理/ }).click();
      await b.page.locator('label', { hasText: '期限超過' }).click();
      const row = b.page.getByTestId('risk-list').getByRole('row').filter({ hasText: 'ディスク容量の逼迫' });
      await row.getByText('エスカレーション済み').waitFor();
      await expect(row.getByTestId('review-state').innerText()).resolves.toBe('期限超過');
      await b.page.screenshot({ path: path.join(os.tmpdir(), 'hoshu-risk-overdue-ja.png'), fullPage: true });
    } finally {
      await b.close();
    }
  });
});
