/**
 * The live dashboard and the SLA document in a real browser (issue 12), on the demo desk:
 * the agent (Japanese) opens the dashboard, sees a new incident appear without reloading,
 * opens the demo contract's SLA document and downloads its PDF (pdftotext gives the
 * Japanese back); the contact (English) sees their dashboard and their contract's document,
 * and another client's document is not found. Screenshots land in the temp directory.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const shot = (name: string) => path.join(os.tmpdir(), `hoshu-${name}.png`);

describe.skipIf(!hasChromium)('dashboard and SLA document in Chromium', () => {
  let t: TestDesk;
  beforeAll(async () => {
    t = await startTestDesk();
  }, 120_000);
  afterAll(async () => t?.close());

  async function agentCookie(): Promise<string> {
    const r = await t.desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.creds.agent.email, password: t.creds.agent.password } });
    const session = r.cookies.find((c) => c.name === 'hoshu_session')!;
    const csrf = r.cookies.find((c) => c.name === 'hoshu_csrf');
    return `hoshu_session=${session.value}${csrf ? `; hoshu_csrf=${csrf.value}` : ''}`;
  }
  async function contractsAs(cookie: string): Promise<{ id: string; name: string; clientId: string }[]> {
    const r = await t.desk.http.inject({ method: 'GET', url: '/api/v1/contracts', headers: { cookie } });
    return (r.json() as { items: { id: string; name: string; clientId: string }[] }).items;
  }

  it('the agent (ja) watches the dashboard update live, then reads and downloads the demo contract\'s SLA document', async () => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      await page.getByRole('link', { name: 'ダッシュボード' }).click();
      await page.getByRole('heading', { name: 'ダッシュボード', exact: true }).waitFor();
      const open = page.getByTestId('stat-open');
      await open.waitFor();
      const before = Number(await open.innerText());
      expect(before).toBeGreaterThan(0);
      // Every open incident is in the table, by priority and state.
      const cells = await page.locator('[data-testid=dashboard-open] tbody td[data-state]').allInnerTexts();
      expect(cells.reduce((n, x) => n + Number(x), 0)).toBe(before);
      // Months in words like the monthly report's (2026年11月), not 2026-11.
      expect(await page.getByTestId('dashboard-trend').innerText()).toMatch(/\d{4}年\d{1,2}月/);
      expect(await page.getByTestId('dashboard-trend').innerText()).not.toMatch(/\d{4}-\d{2}/);
      expect(await page.getByTestId('dashboard').innerText()).toMatch(/今月 \(\d{4}年\d{1,2}月\)/);
      // The server's charts are shown as images, with their Japanese titles inside.
      const charts = page.locator('[data-testid=dashboard] img[src^="data:image/svg+xml"]');
      expect(await charts.count()).toBe(3);
      expect(decodeURIComponent((await charts.nth(2).getAttribute('src'))!)).toContain('SLA達成率');
      await page.screenshot({ path: shot('dashboard-agent-ja'), fullPage: true });

      // A new urgent call arrives through the API: the dashboard shows it without a reload.
      const cookie = await agentCookie();
      const demo = (await contractsAs(cookie)).find((c) => c.name === '配送管理システム 保守契約')!;
      const csrf = /hoshu_csrf=([^;]+)/.exec(cookie)?.[1];
      const created = await t.desk.http.inject({
        method: 'POST', url: '/api/v1/incidents', headers: { cookie, ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}) },
        payload: { contractId: demo.id, title: 'E2E: 配送管理システムが停止', priority: 'urgent', category: 'outage', channel: 'phone' },
      });
      expect(created.statusCode).toBe(201);
      await expect.poll(async () => Number(await open.innerText()), { timeout: 20_000, interval: 500 }).toBe(before + 1);
      await expect.poll(() => page.getByTestId('dashboard-at-risk').innerText(), { timeout: 5_000 }).toContain('E2E: 配送管理システムが停止');

      // The demo contract's SLA document, from the contracts list.
      await page.getByRole('link', { name: '契約', exact: true }).click();
      await page.getByRole('row', { name: /配送管理システム 保守契約/ }).getByRole('link', { name: 'SLA 文書' }).click();
      await page.getByRole('heading', { name: /SLA 文書 — 配送管理システム 保守契約/ }).waitFor();
      const doc = page.frameLocator('[data-testid=sla-frame]');
      await doc.getByRole('heading', { name: 'サービス品質保証(SLA)' }).waitFor();
      const words = await doc.locator('body').innerText();
      for (const s of ['SLAの目的', 'サービス提供の範囲外', 'システム利用者', '120名', '午前2時～4時', '問合せに関する規定', 'セキュリティリスク', '相互協力', '制定日']) expect(words).toContain(s);
      expect(words).not.toMatch(/[●▲]|\{\{|未設定/);
      expect(await page.getByTestId('sla-missing').count()).toBe(0);
      await page.screenshot({ path: shot('sla-document-agent-ja'), fullPage: true });

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sla-pdf').click()]);
      const file = path.join(os.tmpdir(), 'hoshu-sla-document-ja.pdf');
      await download.saveAs(file);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      expect(text).toContain('サービス品質保証(SLA)');
      expect(text).toContain('システム利用者120名');
      expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).not.toMatch(/Type 3/);
    } finally {
      await b.close();
    }
  });

  it('the contact (en) sees their own dashboard and SLA document, and not another client\'s', async () => {
    const b = await openBrowser({ locale: 'en-US' });
    const { page } = b;
    try {
      await login(page, t.url, t.creds.contact, { email: 'E-mail', password: 'Password', submit: 'Sign in' });
      await page.getByRole('heading', { name: 'SLA at a glance' }).waitFor();
      await page.getByTestId('stat-open').waitFor();
      expect(await page.getByTestId('dashboard').innerText()).toContain('Open incidents by priority and SLA state');
      // Only their contracts are offered.
      const options = await page.getByLabel('Contract', { exact: true }).locator('option').allInnerTexts();
      expect(options.sort()).toEqual(['All contracts', 'WMS 保守契約', '配送管理システム 保守契約']);
      await page.screenshot({ path: shot('dashboard-contact-en'), fullPage: true });

      const card = page.getByTestId('contract-summary').filter({ hasText: '配送管理システム 保守契約' });
      // Targets read as spans, not minute counts ("10080 min").
      const summary = await card.innerText();
      for (const s of ['10 min (24/7)', '8 h (24/7)', '9 h of business time', '7 d (24/7)']) expect(summary).toContain(s);
      expect(summary).not.toContain('10080');
      // The period as dates in English (1 Jan 2026 – 31 Dec 2026), not ISO.
      expect(await card.getByTestId('contract-period').innerText()).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4} – \d{1,2} [A-Z][a-z]{2} \d{4}$/);
      await card.getByRole('link', { name: 'SLA document' }).click();
      const doc = page.frameLocator('[data-testid=sla-frame]');
      await doc.getByRole('heading', { name: 'Service Level Agreement (SLA)' }).waitFor();
      const words = await doc.locator('body').innerText();
      for (const s of ['Purpose of this SLA', 'System users', '120 users', '2:00 a.m. to 4:00 a.m.', 'Service targets', 'Revision history']) expect(words).toContain(s);
      await page.screenshot({ path: shot('sla-document-contact-en'), fullPage: true });

      // Another client's contract: not found, like a missing one.
      const other = (await contractsAs(await agentCookie())).find((c) => c.name === '生産管理システム 保守契約')!;
      await page.goto(`${t.url}/portal/contracts/${other.id}/sla-document`);
      await page.getByTestId('not-found').waitFor();
    } finally {
      await b.close();
    }
  });
  it('the contact (ja) at 390 px: the contract period reads as Japanese dates, each kept on one line', async () => {
    const b = await openBrowser({ width: 390, height: 844 });
    const { page } = b;
    try {
      await login(page, t.url, t.creds.contact);
      const card = page.getByTestId('contract-summary').filter({ hasText: '配送管理システム 保守契約' });
      const period = card.getByTestId('contract-period');
      await period.waitFor();
      expect(await period.innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日〜\s*\d{4}年\d{1,2}月\d{1,2}日$/);
      // The line may break between the two dates, never inside one ("2026年12" / "月31日").
      const rects = await period.locator('span[style]').evaluateAll((els) => els.map((e) => e.getClientRects().length));
      expect(rects).toEqual([1, 1]);
      // Nor does the desk's phone number break at its hyphen (03- / 0000-1111).
      expect(await card.getByText('03-0000-1111', { exact: true }).evaluate((e) => e.getClientRects().length)).toBe(1);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot('portal-contract-ja-390') });
    } finally {
      await b.close();
    }
  });

  it('an admin (ja) edits the Japanese template: a new policy version, and the document follows it', async () => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.admin);
      await page.getByRole('link', { name: 'SLA ポリシー' }).click();
      const editor = page.getByTestId('sla-template-editor');
      await editor.waitFor();
      const body = editor.getByLabel('テンプレート');
      const text = await body.inputValue();
      expect(text).toContain('<h2>9. 相互協力</h2>');
      await body.fill(text.replace('<h2>9. 相互協力</h2>', '<h2>9. 相互協力と定例会</h2>'));
      await editor.getByLabel('改訂メモ').fill('定例会を追記');
      await editor.getByRole('button', { name: '新しい版として保存' }).click();
      // The page moves to the new version: the policy's history and the editor's badge say so.
      await page.getByTestId('sla-template-editor').getByText(/独自テンプレート（第 \d+ 版から）/).waitFor();
      await page.screenshot({ path: shot('sla-template-admin-ja'), fullPage: true });

      // A name the document lacks is refused with its line, and nothing is saved.
      await body.fill('<h1>{{title}}</h1>\n<p>{{contract.userCount}}</p>');
      await editor.getByRole('button', { name: '新しい版として保存' }).click();
      await expect.poll(() => editor.getByRole('alert').innerText()).toMatch(/2行目.*contract\.userCount/s);

      await page.getByRole('link', { name: '契約', exact: true }).click();
      await page.getByRole('row', { name: /配送管理システム 保守契約/ }).getByRole('link', { name: 'SLA 文書' }).click();
      const doc = page.frameLocator('[data-testid=sla-frame]');
      await doc.getByRole('heading', { name: '9. 相互協力と定例会' }).waitFor();
      expect(await doc.locator('#history').innerText()).toMatch(/改訂日/);
    } finally {
      await b.close();
    }
  });

  it('the maintenance of the next 7 days: each window\'s title on a line, its span under it with the end\'s date once (ja, en)', async () => {
    for (const [locale, span] of [
      ['ja-JP', /^\d{4}\/\d{2}\/\d{2}\(.\) \d{2}:\d{2}–\d{2}:\d{2} JST · /],
      ['en-GB', /^\w{3}, \d{2} \w{3} \d{4}, \d{2}:\d{2}–\d{2}:\d{2} GMT\+9 · /],
    ] as const) {
      const b = await openBrowser({ locale, width: 1280, height: 800 });
      try {
        const { page } = b;
        await login(page, t.url, t.creds.agent, locale === 'en-GB' ? { email: 'E-mail', password: 'Password', submit: 'Sign in' } : undefined);
        await page.goto(`${t.url}/dashboard`);
        const card = page.getByTestId('dashboard-maintenance');
        // The demo has two windows this week, each within a day.
        await card.getByText(/出荷指示画面に配送便の指定欄を追加/).waitFor();
        const text = await card.innerText();
        // Written on one line, the end's time had run into the title: "… – 2026/12/10(木) 23:00 CR-2 出荷指示画面に…".
        expect(text, locale).not.toMatch(/\d{2}:\d{2} (?!JST|GMT)\S/);
        const spans = await card.getByTestId('dashboard-maintenance-when').allInnerTexts();
        expect(spans.length).toBeGreaterThanOrEqual(2);
        for (const s of spans) expect(s, locale).toMatch(span);
      } finally {
        await b.close();
      }
    }
  }, 60_000);
});
