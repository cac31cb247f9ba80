/**
 * The staff navigation at 1024 × 768, in Japanese and in English: an admin's screens stand in
 * four labelled groups (desk, contracts & SLA, monitoring & risk, administration) that fit the
 * screen without scrolling, every link reachable; a group folds and opens again. On a phone the
 * header stays on one line with every control on the screen. Screenshots go
 * to the temp directory.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const L = {
  ja: {
    login: undefined, groups: ['デスク', '契約・SLA', '監視・リスク', '管理'],
    links: ['障害キュー', '電話受付', '顧客', '契約', 'カレンダー', 'SLA ポリシー', '保守日程', '変更要求', 'リスク管理', 'ユーザー', '監査ログ'],
  },
  en: {
    login: { email: 'E-mail', password: 'Password', submit: 'Sign in' }, groups: ['Desk', 'Contracts & SLA', 'Monitoring & risk', 'Administration'],
    links: ['Incident queue', 'Log a phone call', 'Clients', 'Contracts', 'Calendars', 'SLA policies', 'Maintenance', 'Risks', 'Profile'],
  },
} as const;

describe.skipIf(!hasChromium)('staff navigation at 1024 px', () => {
  let t: TestDesk;
  beforeAll(async () => { t = await startTestDesk(); }, 120_000);
  afterAll(async () => { await t?.close(); });

  for (const lang of ['ja', 'en'] as const) {
    it(`groups an admin's screens so that they fit 1024 × 768 (${lang})`, async () => {
      const s = L[lang];
      const b = await openBrowser({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', width: 1024, height: 768 });
      try {
        const page = b.page;
        await login(page, t.url, t.creds.admin, s.login);
        const nav = page.getByRole('navigation');
        await nav.getByRole('link', { name: s.links[0], exact: true }).waitFor();
        await page.screenshot({ path: path.join(os.tmpdir(), `hoshu-nav-1024-${lang}.png`) });
        for (const g of s.groups) await nav.getByRole('button', { name: g, exact: true }).waitFor();
        for (const name of s.links) {
          const link = nav.getByRole('link', { name, exact: true });
          const box = await link.boundingBox();
          expect(box, name).not.toBeNull();
          expect(box!.y + box!.height, `${name} below the fold`).toBeLessThanOrEqual(768);
        }
        const all = await nav.getByRole('link').count();
        expect(all).toBeGreaterThanOrEqual(18);
        const last = await nav.getByRole('link').last().boundingBox();
        expect(last!.y + last!.height).toBeLessThanOrEqual(768);
        await page.screenshot({ path: path.join(os.tmpdir(), `hoshu-nav-1024-${lang}.png`) });
        // A group folds (its links leave) and opens again.
        await nav.getByRole('button', { name: s.groups[1], exact: true }).click();
        await nav.getByRole('link', { name: s.links[2], exact: true }).waitFor({ state: 'hidden' });
        await nav.getByRole('button', { name: s.groups[1], exact: true }).click();
        await nav.getByRole('link', { name: s.links[2], exact: true }).click();
        await page.waitForURL(/\/clients$/);
      } finally {
        await b.close();
      }
    }, 120_000);

    it(`keeps the header on one line at 390 px, the sign-out button on the screen (${lang})`, async () => {
      const s = L[lang];
      const b = await openBrowser({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', width: 390, height: 844 });
      try {
        const page = b.page;
        await login(page, t.url, t.creds.admin, s.login);
        const header = page.locator('header');
        const name = header.getByRole('heading', { level: 2 });
        await name.waitFor();
        // 保守 Hoshu had broken under itself, and the sign-out button had run off the screen.
        const box = (await name.boundingBox())!;
        const line = await name.evaluate((el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).lineHeight) || el.getBoundingClientRect().height);
        expect(box.height, 'the name takes one line').toBeLessThanOrEqual(line + 1);
        const out = (await header.getByRole('button', { name: lang === 'ja' ? 'ログアウト' : 'Sign out' }).boundingBox())!;
        expect(out.x + out.width, 'sign-out within 390 px').toBeLessThanOrEqual(390);
        await page.screenshot({ path: path.join(os.tmpdir(), `hoshu-header-390-${lang}.png`) });
      } finally {
        await b.close();
      }
    }, 120_000);
  }
});
