/**
 * `npm run screenshots`: regenerates docs/screenshots/*.png — the queue, an
 * incident, the phone log, the calendar editor and the client portal, in
 * Japanese and English — from a desk with the demo data, in Debian's Chromium.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closeSharedBrowser, login, openBrowser, startTestDesk } from '../e2e/desk.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
fs.mkdirSync(out, { recursive: true });
execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit' });

const LABELS = {
  ja: { email: 'メールアドレス', password: 'パスワード', submit: 'ログイン', why: 'この期限の根拠', title: '内容 (件名)', contract: '契約', queue: '障害キュー' },
  en: { email: 'E-mail', password: 'Password', submit: 'Sign in', why: 'Why this deadline?', title: 'What is wrong (title)', contract: 'Contract', queue: 'Incident queue' },
} as const;

const desk = await startTestDesk();
try {
  for (const lang of ['ja', 'en'] as const) {
    const L = LABELS[lang];
    const shot = async (page: import('playwright-core').Page, name: string) => {
      await page.waitForTimeout(400);
      const file = `${out}${name}.${lang}.png`;
      await page.screenshot({ path: file });
      console.log(`${file} ${Math.round(fs.statSync(file).size / 1024)} KB`);
    };

    const agent = await openBrowser({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', width: 1280, height: 800 });
    try {
      const { page } = agent;
      await login(page, desk.url, desk.creds.agent, L);
      await page.getByRole('heading', { name: L.queue }).waitFor();
      await page.locator('[data-testid=queue] tbody tr').first().waitFor();
      await shot(page, 'queue');

      // An urgent call whose start-of-work clock is running, with "why this deadline" open.
      await page.locator('[data-testid=queue] tbody tr', { hasText: '配送管理システムに接続できない' }).getByRole('link').click();
      await page.getByTestId('targets').waitFor();
      await page.getByRole('button', { name: L.why }).nth(1).click();
      await page.getByTestId('explanation').waitFor();
      // Banners above (mail not configured on the demo desk) may push it below the fold: the shot is of the explanation.
      await page.getByTestId('explanation').scrollIntoViewIfNeeded();
      await shot(page, 'incident');

      await page.goto(`${desk.url}/phone`);
      const contract = page.getByLabel(L.contract);
      await contract.selectOption((await contract.locator('option', { hasText: '生産管理システム 保守契約' }).getAttribute('value'))!);
      await page.getByLabel(L.title).fill(lang === 'ja' ? '工場の生産指示が出力されない' : 'Production orders are not printed at the plant');
      await shot(page, 'phone');

      await page.goto(`${desk.url}/calendars`);
      await page.getByTestId('trial').waitFor();
      await shot(page, 'calendar');
    } finally {
      await agent.close();
    }

    const contact = await openBrowser({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', width: 1280, height: 800 });
    try {
      const { page } = contact;
      await login(page, desk.url, desk.creds.contact, L);
      await page.locator('[data-testid=portal-incidents] tbody tr').first().waitFor();
      await shot(page, 'portal');
    } finally {
      await contact.close();
    }
  }
} finally {
  await closeSharedBrowser();
  await desk.close();
}
