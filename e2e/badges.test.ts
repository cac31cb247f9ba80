/**
 * A badge shows its whole label. Mantine's badge clips a squeezed label with an ellipsis, and the
 * lists' narrow columns squeezed them: the security list read UNAUTHORIZED A… and CLOS…, the risk
 * list M… and ON S…, the maintenance list ANNOUN… (English, 1280 px) and 告知済… (1024 px).
 * Screenshots go to the temp directory.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const PAGES = [['/security', 'security-incidents'], ['/risks', 'risk-list'], ['/maintenance', 'maintenance-upcoming']] as const;

describe.skipIf(!hasChromium)('badges', () => {
  let t: TestDesk;
  beforeAll(async () => { t = await startTestDesk(); }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('no badge of the lists clips its label, in English and Japanese, at 1280, 1024 and 390 px', async () => {
    for (const [locale, width] of [['en-GB', 1280], ['ja-JP', 1024], ['en-GB', 390]] as const) {
      const b = await openBrowser({ locale, width, height: width === 390 ? 844 : 800 });
      try {
        const { page } = b;
        await login(page, t.url, t.creds.admin, locale === 'en-GB' ? { email: 'E-mail', password: 'Password', submit: 'Sign in' } : undefined);
        for (const [url, testId] of PAGES) {
          await page.goto(t.url + url);
          const table = page.getByTestId(testId);
          await table.locator('tbody tr').first().waitFor();
          await table.locator('.mantine-Badge-label').first().waitFor();
          const clipped = await table.locator('.mantine-Badge-label').evaluateAll((labels) =>
            labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => `${l.textContent} (${l.clientWidth} of ${l.scrollWidth} px)`));
          expect(clipped, `${locale} ${width} px ${url}: clipped badges`).toEqual([]);
          await table.screenshot({ path: path.join(os.tmpdir(), `hoshu-badges-${width}-${locale}-${testId}.png`) });
        }
      } finally {
        await b.close();
      }
    }
  }, 180_000);
});
