/**
 * The monthly report in a real browser, on the demo data: the agent opens last month's
 * report of the demo contract, sees every section with charts, drills from the breach
 * figure to the incident's counted intervals, issues it and downloads PDF and CSV; the
 * contact finds it in the portal and acknowledges it, and cannot reach another client's report.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const SHOTS = process.env.REPORT_SCREENSHOTS; // a directory to save screenshots into, when set

describe.skipIf(!hasChromium)('monthly SLA report in the web UI', () => {
  let t: TestDesk;
  beforeAll(async () => {
    t = await startTestDesk();
  }, 240_000);
  afterAll(async () => t?.close());

  it('agent: preview, drill from a breach to the intervals, issue, download PDF and CSV; contact: read and acknowledge', async () => {
    const otherReport = { id: '' };
    const agent = await openBrowser({ width: 1400, height: 1000 });
    const refused: string[] = [];
    // The framed report runs under its own CSP (no scripts, inline styles): nothing of it may be refused.
    agent.page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    try {
      const page = agent.page;
      await login(page, t.url, t.creds.agent);
      await page.getByRole('heading', { name: '障害キュー' }).waitFor();
      await page.getByRole('link', { name: '月次報告書' }).click();
      await page.getByRole('heading', { name: '月次SLA報告書', level: 1 }).waitFor();
      const contract = page.getByLabel('契約', { exact: true });
      await contract.selectOption((await contract.locator('option', { hasText: '配送管理システム 保守契約' }).getAttribute('value'))!);
      await page.getByTestId('report-summary').waitFor();

      // The report itself, framed: every section with its charts.
      const frame = page.frameLocator('[data-testid="report-frame"]');
      await frame.locator('#footnote').waitFor();
      for (const h of ['概要', '受付件数', 'SLA達成状況', 'SLA違反', '受付から認識までの時間', '稼働率と停止', '計画メンテナンス', '変更要求', 'リスク', 'セキュリティインシデント']) {
        await expect(frame.getByRole('heading', { name: h, exact: true }).count()).resolves.toBeGreaterThan(0);
      }
      expect(await frame.locator('svg.chart').count()).toBeGreaterThanOrEqual(4);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/report-preview.png`, fullPage: false });

      // Drill: the breach figure → the incidents behind it → one incident's counted intervals.
      const breaches = frame.locator('a.n[href="#d-breaches"]').first();
      const count = Number(await breaches.innerText());
      expect(count).toBeGreaterThan(0);
      await breaches.click();
      const list = frame.locator('[id="d-breaches"]');
      // One incident may have breached two targets: the list names each incident once.
      const linked = await list.locator('a').count();
      expect(linked).toBeGreaterThan(0);
      expect(linked).toBeLessThanOrEqual(count);
      const first = list.locator('a').first();
      const href = (await first.getAttribute('href'))!;
      await first.click();
      const row = frame.locator(`[id="${href.slice(1)}"]`);
      await expect(row.isVisible()).resolves.toBe(true);
      expect(await row.locator('th', { hasText: '計上した時間帯' }).count()).toBe(1);
      expect(await row.locator('td.iv').first().innerText()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}–/);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/report-drill.png` });

      // Issue, then download the frozen PDF and a CSV.
      await page.getByTestId('issue-report').click();
      // Issuing prints the PDF in both languages with Chromium first: seconds, more on a loaded machine.
      await page.getByText('第1版').first().waitFor({ timeout: 90_000 });
      expect(new URL(page.url()).pathname).toMatch(/^\/reports\/[0-9a-f-]+$/);
      // The month as the report's cover writes it, not 'YYYY-MM'.
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/^月次SLA報告書 \d{4}年\d{1,2}月$/);
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()]);
      const pdfBytes = fs.readFileSync((await pdf.path())!);
      expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
      const csvBytes = fs.readFileSync((await csv.path())!);
      expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csvBytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe('番号,件名,優先度,目標,ポリシー版,期限,達成日時,遅延(分),遅延の時計,原因');
      expect(refused).toEqual([]);

      // Another client's month is issued too (through the API, as the agent): the contact must not reach it.
      const csrf = (await agent.context.cookies()).find((k) => k.name === 'hoshu_csrf')?.value ?? '';
      const contracts = (await (await page.request.get(`${t.url}/api/v1/contracts`)).json()) as { items: Array<{ id: string; name: string }> };
      const towa = contracts.items.find((c) => c.name === '生産管理システム 保守契約')!;
      const sakura = contracts.items.find((c) => c.name === '配送管理システム 保守契約')!;
      const issued = (await (await page.request.get(`${t.url}/api/v1/reports?contractId=${sakura.id}`)).json()) as { items: Array<{ month: string }> };
      const lastMonth = issued.items[0]!.month;
      const other = await page.request.post(`${t.url}/api/v1/reports`, { headers: { 'x-csrf-token': csrf }, data: { contractId: towa.id, month: lastMonth } });
      expect(other.status(), await other.text()).toBe(201);
      otherReport.id = ((await other.json()) as { id: string }).id;
    } finally {
      await agent.close();
    }

    // The contact (of the same client) reads it in the portal and acknowledges it.
    const contact = await openBrowser();
    try {
      const page = contact.page;
      await login(page, t.url, t.creds.contact);
      await page.getByRole('link', { name: '月次報告書' }).click();
      await page.getByTestId('issued-reports').waitFor();
      await page.getByTestId('issued-reports').getByRole('link').first().click();
      await page.frameLocator('[data-testid="report-frame"]').locator('#footnote').waitFor();
      await expect(page.frameLocator('[data-testid="report-frame"]').getByRole('heading', { name: '月次SLA報告書' }).count()).resolves.toBe(1);
      await page.getByTestId('acknowledge').click();
      await page.getByTestId('acknowledged').waitFor();
      expect(await page.getByTestId('acknowledged').innerText()).toContain('確認');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/report-portal.png` });

      // Another client's report: not in the list, and its page answers "not found" (the API's 404, not its figures).
      await page.getByRole('link', { name: '月次報告書' }).click();
      await page.getByTestId('issued-reports').waitFor();
      expect(await page.getByTestId('issued-reports').locator(`a[href$="${otherReport.id}"]`).count()).toBe(0);
      await page.goto(`${t.url}/portal/reports/${otherReport.id}`);
      await page.getByRole('alert').getByText('報告書が見つかりません。').waitFor();
      expect(await page.locator('[data-testid="report-frame"]').count()).toBe(0);
      const direct = await page.request.get(`${t.url}/api/v1/reports/${otherReport.id}/html?lang=ja`);
      expect(direct.status()).toBe(404);
    } finally {
      await contact.close();
    }
  }, 240_000);

  it('en: the preview\'s "Figures as of" line begins with a capital, like every line alone', async () => {
    const agent = await openBrowser({ locale: 'en-GB', width: 1280, height: 800 });
    try {
      const page = agent.page;
      await login(page, t.url, t.creds.agent, { email: 'E-mail', password: 'Password', submit: 'Sign in' });
      await page.goto(`${t.url}/reports`);
      // It had read "figures as of Sun, 06 Dec 2026, 01:49 GMT+9" under the report's title.
      const asOf = page.getByText(/^figures as of /i);
      await asOf.waitFor();
      expect(await asOf.innerText()).toMatch(/^Figures as of \w{3}, \d{2} \w{3} \d{4}, \d{2}:\d{2}/);
    } finally {
      await agent.close();
    }
  }, 60_000);
});
