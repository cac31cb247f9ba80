/**
 * The Japanese UI shows no English validation text: each form of the agent console
 * and the portal is submitted empty (or with the one field cleared that makes it
 * invalid) in Japanese, and every error text on the page — field errors and alerts,
 * from zod in the page or from the API — is checked for Latin-script words.
 */
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

/**
 * Latin words allowed in Japanese messages: product and format tokens that the
 * Japanese catalogue itself uses (src/i18n/ja.json, issues.* and errors.*), and the
 * protocol and setting the "outbound mail is not configured" banner names
 * (SMTP, HOSHU_SMTP_URL) — an operator's words, not a validation message.
 */
const ALLOWED_LATIN = new Set(['SLA', 'ID', 'URL', 'API', 'JSON', 'Asia', 'Tokyo', 'jp', 'SMTP', 'HOSHU']);

function latinWords(text: string): string[] {
  return [...text.matchAll(/[A-Za-z]+/g)].map((m) => m[0]).filter((w) => !ALLOWED_LATIN.has(w));
}

/** Every error text visible on the page: Mantine field errors and alerts. */
async function errorTexts(page: Page): Promise<string[]> {
  const loc = page.locator('[id$="-error"], [role=alert]');
  const out: string[] = [];
  for (const el of await loc.all()) if (await el.isVisible()) out.push((await el.innerText()).trim());
  return out.filter(Boolean);
}

/** Waits for some error text, then asserts there is no Latin word in any of it; returns the texts. */
async function expectJapaneseErrors(page: Page, form: string, within?: Locator): Promise<string[]> {
  try {
    await expect.poll(async () => (await errorTexts(page)).length, { message: `${form}: no error shown` }).toBeGreaterThan(0);
  } catch (e) {
    await page.screenshot({ path: path.join(os.tmpdir(), `hoshu-forms-ja-failed-${form.replace(/\W+/g, '-')}.png`), fullPage: true });
    throw e;
  }
  if (within) await within.locator('[id$="-error"], [role=alert]').first().waitFor();
  const texts = await errorTexts(page);
  expect(texts.flatMap(latinWords), `${form}: ${JSON.stringify(texts)}`).toEqual([]);
  return texts;
}

describe.skipIf(!hasChromium)('forms in Japanese', () => {
  let t: TestDesk;
  beforeAll(async () => {
    t = await startTestDesk();
  }, 120_000);
  afterAll(async () => t?.close());

  /** The ids the pages need: an incident the browser then works on. */
  async function fileIncident(): Promise<string> {
    const r = await t.desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.creds.agent.email, password: t.creds.agent.password } });
    const cookie = r.cookies.find((c) => c.name === 'hoshu_session')!;
    const headers = { cookie: `hoshu_session=${cookie.value}`, 'x-csrf-token': (r.json() as { csrfToken: string }).csrfToken };
    const contracts = (await t.desk.http.inject({ method: 'GET', url: '/api/v1/contracts', headers })).json() as { items?: { id: string }[] } | { id: string }[];
    const list = Array.isArray(contracts) ? contracts : contracts.items ?? [];
    const created = await t.desk.http.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload: { contractId: list[0]!.id, title: 'E2E: 入力チェック', channel: 'phone' } });
    expect(created.statusCode).toBe(201);
    return (created.json() as { id: string }).id;
  }

  it('the agent console: login, phone log, clients, contacts, systems, contracts, calendars, policies, maintenance, incident dialogs, messages', async () => {
    const incidentId = await fileIncident();
    const b = await openBrowser();
    const { page } = b;
    try {
      // Login, empty.
      await page.goto(t.url);
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      await expectJapaneseErrors(page, 'login');

      await login(page, t.url, t.creds.admin);
      await page.getByRole('heading', { name: '障害キュー' }).waitFor();

      // Phone log, empty (contract and subject missing): zod in the page, in Japanese.
      await page.goto(`${t.url}/phone`);
      await page.getByRole('button', { name: '受付登録' }).click();
      const phone = await expectJapaneseErrors(page, 'phone log');
      expect(phone.join(' ')).toContain('入力してください');
      const shot = path.join(os.tmpdir(), 'hoshu-forms-ja-phone.png');
      await page.screenshot({ path: shot, fullPage: true });

      // Clients: new client, then a contact and a system inside the first client.
      await page.goto(`${t.url}/clients`);
      await page.getByRole('button', { name: '顧客を追加' }).click();
      await expectJapaneseErrors(page, 'new client');
      await page.locator('.mantine-Accordion-control').first().click();
      await page.getByRole('button', { name: '担当者を追加' }).click();
      await expectJapaneseErrors(page, 'new contact');
      await page.getByRole('button', { name: 'システムを追加' }).click();
      await expectJapaneseErrors(page, 'new system');

      // Contracts: empty client, name and start date.
      await page.goto(`${t.url}/contracts`);
      await page.getByLabel('開始日').fill('');
      await page.getByRole('button', { name: '作成', exact: true }).click();
      await expectJapaneseErrors(page, 'new contract');

      // Calendars: a new calendar with the zone cleared and unreadable overrides.
      await page.goto(`${t.url}/calendars`);
      await page.getByRole('combobox', { name: 'カレンダー' }).selectOption('new');
      await page.getByLabel('タイムゾーン').fill('');
      await page.getByLabel('月').fill('18:00-09:00');
      await page.getByLabel('例外設定 (JSON)').fill('{');
      const calendar = await expectJapaneseErrors(page, 'calendar');
      expect(calendar.join(' ')).toContain('タイムゾーン');

      // SLA policy revision with an empty document.
      await page.goto(`${t.url}/sla-policies`);
      await page.getByLabel('ポリシー定義 (JSON)').fill('');
      await page.getByRole('button', { name: '改訂', exact: true }).click();
      await expectJapaneseErrors(page, 'policy revision');

      // Maintenance: schedule without a title, then cancel a window without a reason.
      await page.goto(`${t.url}/maintenance`);
      const contractSelect = page.getByRole('combobox', { name: '契約' });
      const firstContract = await contractSelect.locator('option').nth(1).getAttribute('value');
      await contractSelect.selectOption(firstContract!);
      await page.getByRole('button', { name: '登録', exact: true }).click();
      await expectJapaneseErrors(page, 'maintenance schedule');
      await page.getByLabel('件名').fill('E2E: 定期点検');
      await page.getByRole('button', { name: '登録', exact: true }).click();
      await page.getByRole('button', { name: '保守を中止' }).first().click();
      const cancel = page.getByRole('dialog');
      await cancel.getByRole('button', { name: '保守を中止' }).click();
      await expectJapaneseErrors(page, 'cancel maintenance', cancel);
      await page.keyboard.press('Escape');

      // The incident: resolve, priority, scope and waiting dialogs, and the message box, each empty.
      await page.goto(`${t.url}/incidents/${incidentId}`);
      await page.getByRole('heading', { name: /E2E: 入力チェック/ }).waitFor();
      const actions = page.getByTestId('actions');
      const dialog = page.getByRole('dialog');
      const tryDialog = async (button: string, name: string, prepare?: () => Promise<void>) => {
        await actions.getByRole('button', { name: button, exact: true }).click();
        await dialog.waitFor();
        await prepare?.();
        await dialog.locator('button[type=submit]').click();
        await expectJapaneseErrors(page, name, dialog);
        await dialog.getByRole('button', { name: 'キャンセル' }).click();
        await dialog.waitFor({ state: 'hidden' });
      };
      await tryDialog('解決', 'resolve');
      await tryDialog('優先度変更', 'priority');
      await tryDialog('範囲変更', 'scope', () => dialog.getByLabel('範囲外').check());
      await actions.getByRole('button', { name: '着手', exact: true }).click();
      await actions.getByRole('button', { name: 'お客様回答待ち', exact: true }).waitFor();
      await tryDialog('お客様回答待ち', 'wait');
      await page.getByRole('button', { name: '送信', exact: true }).click();
      await expectJapaneseErrors(page, 'message');
    } finally {
      await b.close();
    }
  }, 180_000);

  it('the portal: a new inquiry and a reply, empty', async () => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.contact);
      await page.getByRole('heading', { name: '障害・問合せ' }).first().waitFor();
      await page.goto(`${t.url}/portal/new`);
      await page.getByRole('button', { name: '問合せを送信' }).click();
      await expectJapaneseErrors(page, 'new inquiry');

      await page.goto(`${t.url}/portal`);
      const first = page.locator('a[href^="/portal/incidents/"]').first();
      await first.click();
      await page.getByRole('button', { name: '送信', exact: true }).click();
      await expectJapaneseErrors(page, 'portal reply');
    } finally {
      await b.close();
    }
  }, 120_000);
});
