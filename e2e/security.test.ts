/**
 * Security incidents in a real browser, in Japanese and in English: an agent records a
 * malware detection discovered 19 hours ago (the 24-hour report-to-the-client clock is
 * already at risk, and the job runner fires its "due soon" timer), issues the first report
 * (e-mailed over SMTP to the contract's contacts), the contact reads it in the portal (and
 * the desk sees that it was read), the agent removes the threat, issues the final report and
 * closes; the contact then finds the final report in the portal. Screenshots go to the temp dir.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSmtp } from '../test/helpers/smtp.ts';
import { en as enCore } from '../web/i18n/en.ts';
import { ja as jaCore } from '../web/i18n/ja.ts';
import { security } from '../web/i18n/security.ts';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const HOUR = 3_600_000;
const ZONE = 'Asia/Tokyo';
const CONTRACT = '配送管理システム 保守契約';

function tokyoInput(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (k: string) => parts.find((p) => p.type === k)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** Visible field errors and alerts. */
async function errorTexts(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const el of await page.locator('[id$="-error"], [role=alert]').all()) if (await el.isVisible()) out.push((await el.innerText()).trim());
  return out.filter(Boolean);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(os.tmpdir(), `hoshu-security-${name}.png`), fullPage: true });

describe.skipIf(!hasChromium)('security incidents in the web UI', () => {
  let t: TestDesk;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestDesk({ HOSHU_RUN_JOBS: 'true', HOSHU_JOB_POLL_MS: '100', HOSHU_SMTP_URL: smtp.url });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`malware detection: clock, first report read in the portal, threat removed, final report (${lang})`, async () => {
      const s = security[lang].security;
      const core = lang === 'ja' ? jaCore : enCore;
      const loginLabels = { email: core.login.email, password: core.login.password, submit: core.login.submit };
      const title = lang === 'ja' ? 'E2E 業務端末でウィルス検知' : 'E2E malware detected on an office PC';
      const agent = await openBrowser({ locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
      const contact = await openBrowser({ locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
      try {
        const page = agent.page;
        await login(page, t.url, t.creds.agent, loginLabels);
        await page.getByRole('link', { name: s.nav, exact: true }).click();
        await page.getByRole('heading', { name: s.title, level: 1 }).waitFor();

        if (lang === 'ja') {
          // Submitted empty: the refusal reads in Japanese, with no English word in it.
          await page.getByRole('button', { name: s.recordButton, exact: true }).click();
          await expect.poll(() => errorTexts(page)).not.toEqual([]);
          const texts = (await errorTexts(page)).join(' ');
          expect(texts).toContain('入力してください');
          expect(texts.match(/[A-Za-z]+/g) ?? []).toEqual([]);
        }

        // Record it: discovered 19 hours ago, so the 24-hour clock is already past its 75 % mark.
        const contractSelect = page.getByLabel(new RegExp(`^${s.contract}`));
        await contractSelect.selectOption((await contractSelect.locator('option', { hasText: CONTRACT }).getAttribute('value'))!);
        await page.getByLabel(new RegExp(`^${s.kindLabel}`)).selectOption('malware');
        await page.getByLabel(new RegExp(`^${s.discoveredAt.replace(/[()（）]/g, '.')}`)).fill(tokyoInput(Date.now() - 19 * HOUR));
        await page.getByLabel(new RegExp(`^${s.titleField}`)).fill(title);
        await page.getByLabel(new RegExp(`^${s.description}`)).fill(lang === 'ja' ? 'EDR が Trojan.Generic を検知し隔離しました。' : 'EDR detected and quarantined Trojan.Generic.');
        // An infected PC that holds customer data: the client's own regulatory reminders appear.
        await page.getByLabel(s.personalData).check();
        await page.getByRole('button', { name: s.recordButton, exact: true }).click();
        await page.getByRole('heading', { name: new RegExp(title), level: 1 }).waitFor();
        const incidentUrl = page.url();

        // The report clock runs: at risk now, and the job runner records the "due soon" timer.
        expect(await page.getByTestId('report-clock').first().getAttribute('data-clock-state')).toBe('atRisk');
        // About five hours left, as a duration (not "4:59:30").
        expect(await page.getByTestId('report-clock').first().innerText()).toMatch(lang === 'ja' ? /残り [45]時間\d{2}分/ : /[45] h \d{2} min left/);
        await expect.poll(async () => {
          await page.reload();
          await page.getByTestId('security-timeline').waitFor();
          return page.locator('[data-event="sla.atRisk"]').count();
        }, { timeout: 20_000, interval: 1000 }).toBe(1);
        expect(await page.locator('[data-event="sla.atRisk"]').innerText()).toContain(s.timeline.event['sla.atRisk']);
        await shot(page, `${lang}-1-recorded`);

        // First report: issued, e-mailed to the contract's contacts, and the clock is met.
        await page.getByLabel(new RegExp(`^${s.reports.titleField}`)).fill(lang === 'ja' ? '第一報: ウィルス検知について' : 'First report: malware detection');
        if (lang === 'ja') {
          // A report without its text is refused by the API, in Japanese.
          await page.getByRole('button', { name: s.reports.issueButton }).click();
          await expect.poll(async () => (await errorTexts(page)).join(' ')).toContain('入力してください');
          expect((await errorTexts(page)).join(' ').match(/[A-Za-z]+/g) ?? []).toEqual([]);
        }
        await page.getByLabel(new RegExp(`^${s.reports.body}`)).fill(lang === 'ja' ? '本日、業務端末1台でウィルスを検知し隔離しました。現在影響範囲を調査中です。' : 'Today we detected and quarantined malware on one office PC. We are assessing the impact.');
        await page.getByRole('button', { name: s.reports.issueButton }).click();
        await page.locator('[data-testid=report][data-report-kind=first]').waitFor();
        await expect.poll(() => page.getByTestId('report-clock').first().getAttribute('data-clock-state')).toBe('met');
        await expect.poll(() => smtp.mails.filter((m) => m.text.includes(title)).flatMap((m) => m.to).sort(), { timeout: 15_000 })
          .toEqual(['suzuki@sakura-logi.example', 'yamada@sakura-logi.example']);
        // The desk sees what the SMTP server said for each recipient.
        await expect.poll(async () => {
          await page.reload();
          await page.locator('[data-testid=report][data-report-kind=first]').waitFor();
          return page.locator('[data-testid=report] [data-testid=delivery-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
        }, { timeout: 15_000, interval: 1000 }).toEqual(['sent', 'sent']);
        const mail = smtp.mails.find((m) => m.text.includes(title))!;
        expect(mail.subject).toContain('第一報');
        expect(mail.subject).toContain('First report');

        // The contact reads it in the portal.
        const cp = contact.page;
        await login(cp, t.url, t.creds.contact, loginLabels);
        await cp.getByRole('link', { name: s.nav, exact: true }).click();
        await cp.getByRole('heading', { name: s.portalTitle, level: 1 }).waitFor();
        await cp.getByRole('link', { name: title }).click();
        const firstReport = cp.locator('[data-testid=report][data-report-kind=first]');
        await firstReport.waitFor();
        expect(await firstReport.innerText()).toContain(s.reports.kind.first);
        const readText = s.reports.readByYou.split('{{at}}')[lang === 'ja' ? 1 : 0]!.trim();
        await firstReport.getByText(readText).waitFor();
        // The client sees the desk's recorded times but no internal entries.
        expect(await cp.locator('[data-event="sla.atRisk"]').count()).toBe(0);
        expect(await cp.locator('[data-instant=reported]').innerText()).not.toContain('—');
        // The regulator reminders are labelled as the client's obligation, not the vendor's.
        expect(await cp.getByTestId('regulatory').innerText()).toContain(s.regulatory.title);
        await shot(cp, `${lang}-2-portal-first-report`);

        // The desk sees who read it.
        await page.goto(incidentUrl);
        await expect.poll(async () => {
          await page.reload();
          return page.getByTestId('report-reads').first().innerText();
        }, { timeout: 15_000, interval: 1000 }).toContain('情報システム部 山田');

        // Threat removed, then the final report, then close.
        await page.getByLabel(new RegExp(`^${s.note.replace(/[()（）]/g, '.')}`)).fill(lang === 'ja' ? '駆除ツールで除去し、フルスキャンで再検知なしを確認しました。' : 'Removed with the vendor tool; a full scan found nothing more.');
        await page.getByRole('button', { name: s.command['remove-threat'], exact: true }).click();
        await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('threat_removed');
        await page.getByLabel(new RegExp(`^${s.reports.kindLabel}`)).selectOption('final');
        await page.getByLabel(new RegExp(`^${s.reports.titleField}`)).fill(lang === 'ja' ? '最終報告' : 'Final report');
        await page.getByLabel(new RegExp(`^${s.reports.body}`)).fill(lang === 'ja' ? '脅威は除去されました。原因は添付ファイルの開封でした。再発防止策を実施します。' : 'The threat has been removed. The cause was an opened attachment. We will put preventive measures in place.');
        await page.getByRole('button', { name: s.reports.issueButton }).click();
        await page.locator('[data-testid=report][data-report-kind=final]').waitFor();
        await page.getByRole('button', { name: s.command.close, exact: true }).click();
        await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('closed');
        await shot(page, `${lang}-3-closed`);

        // The contact finds the final report in the portal.
        await cp.reload();
        const finalReport = cp.locator('[data-testid=report][data-report-kind=final]');
        await finalReport.waitFor();
        expect(await finalReport.innerText()).toContain(s.reports.kind.final);
        expect(await cp.locator('[data-status]').first().getAttribute('data-status')).toBe('closed');
        expect(await cp.locator('[data-instant=threatRemoved]').innerText()).not.toContain('—');
        await shot(cp, `${lang}-4-portal-final-report`);
      } finally {
        await agent.close();
        await contact.close();
      }
    });
  }
});
