/**
 * The web app under its Content-Security-Policy in Chromium: the page arrives with
 * the policy and frame protection, the agent's pages and the client portal render
 * with Mantine's run-time styles, a mail's HTML shows in its frame, and the browser
 * reports no policy violation anywhere on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP } from '../src/http/edge.ts';
import { createServices } from '../src/http/services.ts';
import { hasChromium, login, openBrowser, startTestDesk, type Browser, type TestDesk } from './desk.ts';

/** Every CSP complaint of the page: console messages and securitypolicyviolation events of the top document. */
async function watchPolicy(b: Browser): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  b.page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  // Browser code as strings: this file is type-checked without the DOM library.
  await b.context.addInitScript({
    content: "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
  });
  return async () => [...seen, ...(await b.page.evaluate<string[]>('window.__csp ?? []'))];
}

describe.skipIf(!hasChromium)('the web app under its Content-Security-Policy', () => {
  let t: TestDesk;
  beforeAll(async () => {
    t = await startTestDesk();
  }, 120_000);
  afterAll(async () => t?.close());

  it('is served with the policy and frame protection', async () => {
    for (const path of ['/', '/incidents/x', '/portal']) {
      const r = await fetch(`${t.url}${path}`);
      expect(r.headers.get('content-security-policy'), path).toBe(APP_CSP);
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      // Plain http: no HSTS.
      expect(r.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('renders the agent\'s pages, a mail\'s HTML in its frame, and the portal without a single violation', async () => {
    // An HTML-only mail on a demo contract, so the incident page has a frame to show.
    const db = t.desk.database.db;
    const contract = await db.selectFrom('contracts').select('id').orderBy('id').executeTakeFirstOrThrow();
    const mail = createServices({ db, clock: Date.now }).mail;
    const html = '<html><body><p style="color:#c00">帳票が文字化けする</p><table><tr><td>会社名</td><td>さくら物流</td></tr></table></body></html>';
    const [mailId] = await mail.store([{
      source: 'smtp', mailbox: 'smtp', receivedAt: Date.now() - 60_000, contractId: contract.id,
      raw: Buffer.from([
        'From: Web Form <noreply-form@sakura-logi.example>', 'To: desk@example.com', 'Subject: CSP probe',
        `Date: ${new Date().toUTCString()}`, `Message-ID: <csp.${Date.now()}@sakura-logi.example>`, 'MIME-Version: 1.0',
        'Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', Buffer.from(html).toString('base64'), '',
      ].join('\r\n')),
    }]);
    expect(await mail.process(mailId!)).toBe('incident');
    const inc = await db.selectFrom('mailMessages').select('incidentId').where('id', '=', mailId!).executeTakeFirstOrThrow();

    const b = await openBrowser();
    const violations = await watchPolicy(b);
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      await page.locator('[data-testid=queue] tbody tr').first().waitFor();
      // Mantine's CSS variables come from a <style> element it writes at run time: blocked, the page would be unstyled.
      expect(await page.evaluate<string>("getComputedStyle(document.documentElement).getPropertyValue('--mantine-color-blue-6').trim()")).not.toBe('');
      expect(await violations()).toEqual([]);

      await page.goto(`${t.url}/incidents/${inc.incidentId!}`);
      await page.getByTestId('mail').first().getByTestId('mail-body').waitFor();
      await page.getByRole('button', { name: 'HTML 版を表示' }).click();
      await page.frameLocator('iframe[title^="メールの HTML 版"]').getByText('帳票が文字化けする').waitFor();
      for (const path of ['/maintenance', '/contracts', '/calendars', '/sla-policies']) {
        await page.goto(`${t.url}${path}`);
        await page.locator('main, [role=main]').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(await violations(), path).toEqual([]);
      }
    } finally {
      await b.close();
    }

    const c = await openBrowser();
    const contactViolations = await watchPolicy(c);
    try {
      await login(c.page, t.url, t.creds.contact);
      await c.page.waitForURL(/\/portal/);
      await c.page.waitForLoadState('networkidle');
      expect(await contactViolations()).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
