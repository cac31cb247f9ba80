/**
 * Issue 17's admin screens in a real browser, in Japanese and English: an admin
 * creates a user and an API token for them (the token works over the API), revokes
 * it in the UI (it stops working) and resets the password to a one-time password
 * that signs the user in; a triage mail is read in its raw source and filed under
 * a contract; a contract is edited in every field; a monitor is created and deleted.
 * Validation messages come in the UI's language. Screenshots (also at 1024 px) go
 * to the temp directory.
 */
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/http/services.ts';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const EN = { email: 'E-mail', password: 'Password', submit: 'Sign in' };
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(os.tmpdir(), `hoshu-admin-${name}.png`), fullPage: true });
const EMAIL_JA = 'メールアドレスの形式が正しくありません。';
const TRIAGE_SUBJECT = '請求書の件(どの契約か不明)';

/** Latin words a Japanese error text may contain (as e2e/forms-ja.test.ts allows). */
const ALLOWED_LATIN = new Set(['SLA', 'ID', 'URL', 'API', 'JSON', 'Asia', 'Tokyo', 'jp', 'SMTP', 'HOSHU', 'HH', 'MM']);
async function japaneseErrors(page: Page, what: string): Promise<void> {
  const loc = page.locator('[id$="-error"], [role=alert]');
  await expect.poll(async () => (await loc.count()), { message: `${what}: no error shown` }).toBeGreaterThan(0);
  const texts: string[] = [];
  for (const el of await loc.all()) if (await el.isVisible()) texts.push((await el.innerText()).trim());
  const latin = texts.flatMap((x) => [...x.matchAll(/[A-Za-z]+/g)].map((m) => m[0])).filter((w) => !ALLOWED_LATIN.has(w));
  expect(latin, `${what}: ${JSON.stringify(texts)}`).toEqual([]);
}

describe.skipIf(!hasChromium)('admin screens in the web UI', () => {
  let t: TestDesk;
  beforeAll(async () => {
    t = await startTestDesk({}, async (db) => {
      // A mail from an unknown sender to the desk: it lands in triage.
      const mail = createServices({ db, clock: () => Date.now() }).mail;
      const raw = Buffer.from([
        'From: =?UTF-8?B?' + Buffer.from('経理 佐藤').toString('base64') + '?= <sato@unknown-corp.example>', 'To: desk@hoshu.example',
        `Subject: =?UTF-8?B?${Buffer.from(TRIAGE_SUBJECT).toString('base64')}?=`, `Message-ID: <triage-e2e-${Date.now()}@unknown-corp.example>`,
        'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 8bit', '', '配送管理システムの請求書が届いていません。', '',
      ].join('\r\n'));
      const [id] = await mail.store([{ source: 'smtp', mailbox: 'smtp', raw, receivedAt: Date.now(), envelopeTo: ['desk@hoshu.example'] }]);
      const outcome = await mail.process(id!);
      if (outcome !== 'triage') throw new Error(`the fixture mail went to ${outcome}, not triage`);
      return {};
    });
  });
  afterAll(async () => t?.close());

  const api = (token: string, p: string) => fetch(`${t.url}/api/v1${p}`, { headers: { authorization: `Bearer ${token}` } });

  it('ja: a user with a token that works until it is revoked; a one-time password signs them in', async () => {
    const b = await openBrowser({ locale: 'ja-JP' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin);
      await page.getByRole('link', { name: 'ユーザー', exact: true }).click();
      await page.getByRole('heading', { name: 'ユーザーと API トークン' }).waitFor();
      // Refused in Japanese, field by field, before anything is sent.
      const form = page.locator('form').filter({ has: page.getByRole('button', { name: '作成', exact: true }) });
      await form.getByLabel(/^メール/).fill('tanaka@');
      await page.getByRole('button', { name: '作成', exact: true }).click();
      await form.getByText(EMAIL_JA).waitFor();
      await form.getByLabel(/^メール/).fill('tanaka@hoshu.example');
      await form.getByLabel(/^名前/).fill('田中 次郎');
      await form.getByLabel(/^初期パスワード/).fill('short');
      await page.getByRole('button', { name: '作成', exact: true }).click();
      await page.getByText('パスワードは 12 文字以上にしてください。').waitFor();
      await form.getByLabel(/^初期パスワード/).fill('');
      await page.getByRole('button', { name: '作成', exact: true }).click();
      await page.getByText('tanaka@hoshu.example を追加しました。').waitFor();

      const row = page.getByTestId('user-tanaka@hoshu.example');
      await row.getByRole('button', { name: 'API トークン' }).click();
      const panel = page.getByTestId('token-panel');
      await panel.getByLabel('トークン名').fill('監視連携');
      await panel.getByRole('button', { name: 'トークンを作成' }).click();
      const secret = (await page.getByTestId('token-secret').innerText()).trim();
      expect(secret).toMatch(/^hoshu_/);
      expect((await api(secret, '/auth/session')).status).toBe(200);
      await shot(page, 'users-ja');

      await panel.getByTestId('token-監視連携').getByRole('button', { name: '失効させる' }).click();
      await panel.getByTestId('token-監視連携').getByText('失効').waitFor();
      // Its last use (the API call above) is shown instead of 未使用, once the list has been read again.
      await expect.poll(async () => panel.getByTestId('token-監視連携').innerText(), { timeout: 5000 }).not.toContain('未使用');
      // The revoked token stops working (the auth cache lives up to a second).
      await expect.poll(async () => (await api(secret, '/auth/session')).status, { timeout: 5000 }).toBe(401);

      await row.getByRole('button', { name: '一時パスワード' }).click();
      const otp = (await page.getByTestId('one-time-password').innerText()).trim();
      expect(otp).toMatch(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);
      await page.getByRole('dialog').getByText('このパスワードは今回だけ表示されます').waitFor();
      const login2 = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'tanaka@hoshu.example', password: otp }) });
      expect(login2.status).toBe(200);
      await page.keyboard.press('Escape');

      await row.getByRole('button', { name: '無効にする' }).click();
      await row.getByRole('button', { name: '無効にする(確定)' }).click();
      await row.getByText('無効', { exact: true }).waitFor();
      // Disabled: the one-time password no longer signs in.
      const login3 = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'tanaka@hoshu.example', password: otp }) });
      expect(login3.status).toBe(401);
    } finally {
      await b.close();
    }
  });

  it('en: the own profile — password change needs the current password, messages in English', async () => {
    const b = await openBrowser({ locale: 'en-US' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.agent, EN);
      await page.getByRole('link', { name: 'Profile', exact: true }).click();
      await page.getByRole('heading', { name: 'Profile' }).waitFor();
      await page.getByLabel(/^Current password/).fill('not my password at all');
      await page.getByLabel(/^New password( \*)?$/).fill('a brand new passphrase');
      await page.getByLabel(/^New password \(again\)/).fill('a different passphrase');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('The two new passwords differ.').waitFor();
      await page.getByLabel(/^New password \(again\)/).fill('a brand new passphrase');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('The current password is wrong.').first().waitFor();
      await page.getByLabel(/^Current password/).fill(t.creds.agent.password);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Password changed.', { exact: false }).waitFor();
      await shot(page, 'profile-en');
    } finally {
      await b.close();
    }
  });

  it('en: a triage mail shows its raw source and is filed under a contract; intake health shows', async () => {
    const b = await openBrowser({ locale: 'en-US' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin, EN);
      await page.getByRole('link', { name: 'Mail triage' }).click();
      await page.getByTestId('intake-health').waitFor();
      const card = page.getByTestId('triage-mail').filter({ hasText: TRIAGE_SUBJECT });
      await card.getByRole('button', { name: 'Raw source' }).click();
      await expect.poll(() => page.getByTestId('mail-source').innerText()).toContain('Message-ID: <triage-e2e-');
      await page.waitForTimeout(400); // the modal's fade-in, for the screenshot only
      await shot(page, 'triage-source-en');
      await page.keyboard.press('Escape');
      await card.getByRole('button', { name: 'File under this contract' }).click();
      await card.getByText('Pick a contract.').waitFor();
      const select = card.getByLabel('Contract', { exact: true });
      await select.selectOption((await select.locator('option', { hasText: '配送管理システム 保守契約' }).getAttribute('value'))!);
      await card.getByRole('button', { name: 'File under this contract' }).click();
      await card.getByText('Filed as incident').waitFor();
      await card.getByRole('link', { name: /^#\d+$/ }).click();
      await page.getByText(TRIAGE_SUBJECT).first().waitFor();
      await shot(page, 'triage-filed-en');
    } finally {
      await b.close();
    }
  });

  it('ja: a contract edited in every field, kept after a reload; a bad value is refused in Japanese', async () => {
    const b = await openBrowser({ locale: 'ja-JP' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin);
      await page.getByRole('link', { name: '契約', exact: true }).click();
      await page.getByTestId('edit-contract-WMS 保守契約').click();
      await page.getByRole('heading', { name: '契約の編集: WMS 保守契約' }).waitFor();
      const f = (label: string | RegExp) => page.getByLabel(label);
      await f('問い合わせ用メール').fill('not-an-email');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.getByText('入力内容に誤りがあります').waitFor();
      await page.getByText(EMAIL_JA).waitFor();
      await f(/^名前/).fill('WMS 保守契約(2027 年度)');
      await f(/^開始日/).fill('2026-04-01');
      await f(/^終了日/).fill('2027-03-31');
      await f('SLA ポリシーの版').selectOption('v1');
      await f('保守の事前通知(営業日)').fill('5');
      await f('バックアップ時間帯(開始)').fill('01:30');
      await f('バックアップ時間帯(終了)').fill('03:45');
      await f('問い合わせ用メール').fill('wms-support@sakura-logi.example');
      await f('問い合わせ用電話').fill('03-9999-0000');
      await f('窓口担当者 (主)').selectOption({ label: '情報システム部 鈴木' });
      await page.getByRole('checkbox', { name: '情報システム部 山田' }).check();
      await page.getByRole('checkbox', { name: '技術 一郎' }).check();
      await page.getByRole('checkbox', { name: '配送管理システム' }).check();
      await f('対象範囲').fill('WMS のアプリケーション障害対応');
      await f('対象外').fill('ハードウェア故障');
      await f('備考').fill('年度更新済み');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.getByRole('status').getByText('保存しました').waitFor();
      await shot(page, 'contract-edit-ja');
      await page.reload();
      await page.getByRole('heading', { name: '契約の編集: WMS 保守契約(2027 年度)' }).waitFor();
      expect(await f('バックアップ時間帯(開始)').inputValue()).toBe('01:30');
      expect(await f('保守の事前通知(営業日)').inputValue()).toBe('5');
      expect(await f('問い合わせ用電話').inputValue()).toBe('03-9999-0000');
      expect(await page.getByRole('checkbox', { name: '技術 一郎' }).isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: '配送管理システム' }).isChecked()).toBe(true);
      expect(await f('対象外').inputValue()).toBe('ハードウェア故障');
      expect(await f(/^終了日/).inputValue()).toBe('2027-03-31');
      // The calendar's zone, where the zone is the information: by name and id.
      await page.getByText('日本標準時 (Asia/Tokyo)').waitFor();
      // At 1024 px the form still fits.
      await page.setViewportSize({ width: 1024, height: 900 });
      await shot(page, 'contract-edit-ja-1024');
      // The audit log shows the change, filtered to contracts.
      await page.getByRole('link', { name: '監査ログ' }).click();
      await page.getByLabel('対象', { exact: true }).fill('contract');
      await page.getByRole('button', { name: '絞り込む' }).click();
      const entry = page.getByTestId('audit-row').filter({ hasText: 'update' }).first();
      await entry.getByText('管理 太郎').waitFor();
      await entry.getByRole('button', { name: '詳細' }).click();
      await page.getByText('WMS 保守契約(2027 年度)').first().waitFor();
      await shot(page, 'audit-ja-1024');
      // The contracts list: the period as dates in Japanese (not 2026-04-01 – 2027-03-31), the two systems joined with 、.
      await page.getByRole('link', { name: '契約', exact: true }).click();
      const listed = page.getByRole('row', { name: /WMS 保守契約\(2027 年度\)/ });
      expect(await listed.getByTestId('contract-period').innerText()).toBe('2026年4月1日〜2027年3月31日');
      expect(await listed.innerText()).toMatch(/倉庫管理システム \(WMS\)、配送管理システム|配送管理システム、倉庫管理システム \(WMS\)/);
    } finally {
      await b.close();
    }
  });

  it('ja: a recurring backup window is added and announced; one occurrence is rescheduled', async () => {
    const b = await openBrowser({ locale: 'ja-JP' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin);
      await page.getByRole('link', { name: '保守日程' }).click();
      const contract = page.getByLabel('契約', { exact: true });
      await contract.selectOption((await contract.locator('option', { hasText: '蔵書管理システム 保守契約' }).getAttribute('value'))!);
      const card = page.getByTestId('series-card');
      await card.getByText('定期保守はありません。').waitFor();
      await card.getByLabel('繰り返し').selectOption('weekly');
      await card.getByRole('button', { name: '追加して通知' }).click();
      // No weekday picked: refused in Japanese before anything is sent.
      await expect.poll(async () => (await card.innerText()).includes('曜日')).toBe(true);
      await card.getByRole('checkbox', { name: '日' }).check();
      await card.getByLabel(/^毎回の開始時刻/).fill('02:00');
      await card.getByLabel(/^毎回の終了時刻/).fill('04:00');
      const first = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
      await card.getByLabel(/^初回/).fill(first);
      await card.getByRole('button', { name: '追加して通知' }).click();
      await card.getByRole('status').getByText(/追加しました/).waitFor();
      const row = card.getByTestId('series-定期バックアップ');
      await row.getByText('毎週 日').waitFor();
      await row.getByText('02:00–04:00').waitFor();
      // The series' zone by name, its first date in Japanese (2026年12月27日〜, not 2026-12-27 –).
      const [y, m, d] = first.split('-').map(Number);
      expect(await row.innerText()).toContain('(日本標準時)');
      expect(await row.innerText()).toContain(`${y}年${m}月${d}日〜`);
      // Its occurrences are in the windows list, announced; the first one is moved by an hour.
      const occurrence = page.locator('tr[data-window]').filter({ hasText: '定期バックアップ' }).first();
      await occurrence.locator('[data-status="announced"]').waitFor();
      await occurrence.getByRole('button', { name: '日程変更' }).click();
      const dialog = page.getByRole('dialog');
      const start = dialog.getByLabel(/^開始/);
      const was = await start.inputValue();
      expect(was.endsWith('T02:00')).toBe(true);
      await start.fill(was.replace('T02:00', 'T03:00'));
      await dialog.getByLabel(/^終了/).fill(was.replace('T02:00', 'T05:00'));
      await dialog.getByRole('button', { name: '変更する' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('tr[data-window]').filter({ hasText: '定期バックアップ' }).filter({ hasText: '03:00' }).first().waitFor();
      await shot(page, 'series-ja');
      await row.getByRole('button', { name: '終了する' }).click();
      await page.getByRole('dialog').getByRole('button', { name: '終了する' }).click();
      await page.getByRole('dialog').getByText(/入力|必須|1 文字/).first().waitFor();
      await page.getByRole('dialog').getByLabel(/^理由/).fill('契約変更のため');
      await page.getByRole('dialog').getByRole('button', { name: '終了する' }).click();
      await row.getByText('終了', { exact: true }).waitFor();
    } finally {
      await b.close();
    }
  });

  it('en: an SLA policy revision through the form; the diff between versions shows it', async () => {
    const b = await openBrowser({ locale: 'en-US' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin, EN);
      await page.getByRole('link', { name: 'SLA policies' }).click();
      const form = page.getByTestId('policy-form');
      await form.getByLabel('Urgent Start of work Amount').fill('15');
      await form.getByTestId('policy-minor.resolve').getByRole('checkbox').check();
      await form.getByLabel('Minor Resolution Clock').selectOption('endOfNthBusinessDay');
      await form.getByLabel('Minor Resolution Amount').fill('3');
      await form.getByLabel('At-risk threshold').fill('80');
      await page.getByLabel('Note', { exact: true }).fill('Urgent start 15 min; minor resolved by day 3');
      await page.getByRole('button', { name: 'Revise' }).click();
      const diff = page.getByTestId('policy-diff');
      await diff.waitFor();
      await expect.poll(() => diff.innerText()).toContain('15');
      await expect.poll(() => diff.innerText()).toMatch(/business day 3/);
      await shot(page, 'policy-form-en');
    } finally {
      await b.close();
    }
  });

  it('ja: a calendar override set from the month view and saved as a new version', async () => {
    const b = await openBrowser({ locale: 'ja-JP' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin);
      await page.getByRole('link', { name: 'カレンダー', exact: true }).click();
      const view = page.getByTestId('month-view');
      const next = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 7);
      await view.getByLabel('表示期間').fill(next);
      // The first weekday of that month that is open 09:00–18:00.
      const open = view.locator('[data-testid^="day-"]').filter({ hasText: '09:00–18:00' }).first();
      const date = (await open.getAttribute('aria-label'))!;
      await open.click();
      await view.getByLabel(`${date} の営業時間`).fill('9時から');
      await view.getByRole('button', { name: 'この日だけ変更' }).click();
      await view.getByText('営業時間は「09:00-12:00」の形で').waitFor();
      await view.getByLabel(`${date} の営業時間`).fill('09:00-12:00');
      await view.getByRole('button', { name: 'この日だけ変更' }).click();
      await view.getByTestId(`day-${date}`).getByText('09:00–12:00').waitFor();
      await page.getByLabel('変更の理由').fill('棚卸しのため午前のみ');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.getByTestId('calendar-versions').getByText('棚卸しのため午前のみ').waitFor();
      // The first version applies from the start: 第1版 当初から (not 「当初から から」).
      const versions = await page.getByTestId('calendar-versions').innerText();
      expect(versions).toContain('第1版 当初から');
      expect(versions).not.toContain('当初から から');
      // Saved: after a reload the override is still in the month view.
      await page.reload();
      await page.getByTestId('month-view').getByLabel('表示期間').fill(next);
      await page.getByTestId(`day-${date}`).getByText('09:00–12:00').waitFor();
      await shot(page, 'calendar-month-ja');
    } finally {
      await b.close();
    }
  });

  it('ja: the new forms refuse empty input with Japanese messages only', async () => {
    const b = await openBrowser({ locale: 'ja-JP' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin);
      await page.getByRole('heading', { name: '障害キュー' }).waitFor();
      await page.goto(`${t.url}/users`);
      await page.getByRole('button', { name: '作成', exact: true }).click();
      await japaneseErrors(page, 'new user');
      await page.goto(`${t.url}/profile`);
      await page.getByRole('button', { name: 'パスワードを変更' }).click();
      await japaneseErrors(page, 'password change');
      await page.getByRole('button', { name: 'トークンを作成' }).click();
      await japaneseErrors(page, 'new token');
      await page.goto(`${t.url}/monitoring`);
      const contract = page.getByLabel('契約', { exact: true });
      await contract.selectOption((await contract.locator('option', { hasText: '社内ポータル 保守契約' }).getAttribute('value'))!);
      await page.getByRole('button', { name: '追加', exact: true }).click();
      await japaneseErrors(page, 'new monitor');
      await page.goto(`${t.url}/maintenance`);
      const mc = page.getByLabel('契約', { exact: true });
      await mc.selectOption((await mc.locator('option', { hasText: '社内ポータル 保守契約' }).getAttribute('value'))!);
      const card = page.getByTestId('series-card');
      await card.getByLabel(/^定期保守の名称/).fill('');
      await card.getByLabel(/^初回/).fill('');
      await card.getByRole('button', { name: '追加して通知' }).click();
      await japaneseErrors(page, 'new series');
      await page.goto(`${t.url}/contracts`);
      await page.getByTestId('edit-contract-社内ポータル 保守契約').click();
      // The list has a new-contract form with a 名前 field too: wait for the edit page.
      await page.getByRole('heading', { name: '契約の編集: 社内ポータル 保守契約' }).waitFor();
      await page.getByLabel(/^名前/).fill('');
      await page.getByLabel('バックアップ時間帯(開始)').fill('01:00');
      await page.getByLabel('保守の事前通知(営業日)').fill('99');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await shot(page, 'contract-errors-ja');
      await japaneseErrors(page, 'contract edit');
      await shot(page, 'contract-errors-ja');
    } finally {
      await b.close();
    }
  });

  it('en: a new contract created, then given every field', async () => {
    const b = await openBrowser({ locale: 'en-US' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin, EN);
      await page.getByRole('link', { name: 'Contracts', exact: true }).click();
      const create = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create', exact: true }) });
      const client = create.getByLabel(/^Client/);
      await client.selectOption({ label: '東和精機株式会社' });
      await create.getByLabel(/^Name/).fill('Production planning support 2027');
      await create.getByLabel(/^Starts on/).fill('2027-04-01');
      await create.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByTestId('edit-contract-Production planning support 2027').click();
      await page.getByRole('heading', { name: 'Edit contract: Production planning support 2027' }).waitFor();
      const f = (label: string | RegExp) => page.getByLabel(label);
      await f(/^Ends on/).fill('2027-03-31');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      // Ends before it starts: refused in English at the field.
      await page.getByText('Some fields are not valid').waitFor();
      await f(/^Ends on/).fill('2028-03-31');
      await f('Maintenance notice (business days)').fill('3');
      await f('Backup window start').fill('23:00');
      await f('Backup window end').fill('01:00');
      await f('Contact e-mail').fill('pp-support@towa-seiki.example');
      await f('Contact phone').fill('0120-000-111');
      await f('Designated contact').selectOption({ label: '情報システム部 山田' });
      await page.getByRole('checkbox', { name: '情報システム部 鈴木' }).check();
      await page.getByRole('checkbox', { name: '窓口 花子' }).check();
      await page.getByRole('checkbox', { name: '生産管理システム' }).check();
      await f('In scope').fill('Production planning application faults');
      await f('Out of scope').fill('Network equipment');
      await f('Notes').fill('Signed 2027-02-15');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').getByText('Saved').waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Edit contract: Production planning support 2027' }).waitFor();
      expect(await f('Backup window end').inputValue()).toBe('01:00');
      // The contact choices load after the form: the saved choice shows once they are there.
      await expect.poll(() => f('Designated contact').inputValue()).not.toBe('');
      expect(await page.getByRole('checkbox', { name: '窓口 花子' }).isChecked()).toBe(true);
      expect(await f('Notes').inputValue()).toBe('Signed 2027-02-15');
      await shot(page, 'contract-new-en');
    } finally {
      await b.close();
    }
  });

  it('en: a client, a contact and a system edited in place', async () => {
    const b = await openBrowser({ locale: 'en-US', width: 1024 });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin, EN);
      await page.getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('button', { name: /みなと市立図書館/ }).click();
      await page.getByTestId('edit-client-みなと市立図書館').click();
      let dialog = page.getByRole('dialog');
      await dialog.getByLabel(/^Name/).fill('');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.locator('[id$="-error"]').first().waitFor();
      await dialog.getByLabel(/^Name/).fill('みなと市立中央図書館');
      await dialog.getByLabel('Notes').fill('Open on Saturdays');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText('みなと市立中央図書館').first().waitFor();
      await page.getByText('Open on Saturdays').waitFor();

      const contactRow = page.getByRole('row').filter({ hasText: 'suzuki@minato-lib.example' });
      await contactRow.getByRole('button', { name: 'Edit' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel('E-mail').fill('not an address');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('Not a valid e-mail address.').waitFor();
      await dialog.getByLabel('E-mail').fill('suzuki2@minato-lib.example');
      await dialog.getByLabel('Phone').fill('045-000-1234');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: 'suzuki2@minato-lib.example' }).getByText('045-000-1234').waitFor();

      const systemRow = page.getByRole('row').filter({ hasText: '蔵書管理システム' });
      await systemRow.getByRole('button', { name: 'Edit' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel('Description').fill('OPAC and circulation');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: '蔵書管理システム' }).getByText('OPAC and circulation').waitFor();
      await shot(page, 'clients-en-1024');
    } finally {
      await b.close();
    }
  });

  it('en: a monitor is created with its settings and deleted', async () => {
    const b = await openBrowser({ locale: 'en-US', width: 1024 });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin, EN);
      await page.getByRole('link', { name: 'Monitoring' }).click();
      // Before a contract is chosen: every contract's monitors (the demo's, switched off after
      // their history) and every outage, the WMS one with the incident it opened. (An earlier
      // test of this file may have renamed the WMS contract.)
      const everywhere = page.getByTestId('monitors-everywhere');
      const wms = everywhere.getByTestId('everywhere-WMS 応答監視');
      await expect.poll(() => wms.innerText()).toMatch(/WMS 保守契約[^\t\n]*\s+WMS 応答監視\s+disabled\s+倉庫管理システム \(WMS\)\s+Unknown/i);
      // The state reads in full, not UNKN… (the badge's label had shrunk to an ellipsis at 1024 px).
      const state = wms.locator('.mantine-Badge-label').last();
      expect(await state.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      const outage = page.getByTestId('outage-row').filter({ hasText: 'WMS 応答監視' });
      expect(await outage.innerText()).toMatch(/^WMS 保守契約[^\t\n]*\s+WMS 応答監視\s+.*\s+12 min\s+Open$/);
      await shot(page, 'monitoring-all-en-1024');
      // A contract's name opens its monitors.
      await everywhere.getByRole('button', { name: '配送管理システム 保守契約' }).click();
      const contract = page.getByLabel('Contract', { exact: true });
      expect(await contract.locator('option:checked').innerText()).toContain('配送管理システム 保守契約');
      await page.getByTestId('monitor-配送管理システム 応答監視').waitFor();
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      // The contract schema's messages, in English.
      await expect.poll(() => page.getByLabel(/^Name/).getAttribute('aria-invalid')).toBe('true');
      await expect.poll(() => page.getByLabel(/^System/).getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel(/^System/).selectOption({ label: '配送管理システム' });
      await page.getByLabel(/^Name/).fill('Order API');
      await page.getByLabel('Kind').selectOption('tcp');
      await page.getByLabel(/^Host/).fill('127.0.0.1');
      await page.getByLabel(/^Port/).fill('9');
      await page.getByLabel('Interval (s)').fill('30');
      await page.getByLabel('Failures in a row before down').fill('2');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      const row = page.getByTestId('monitor-Order API');
      await row.waitFor();
      await row.getByRole('button', { name: 'Details' }).click();
      const detail = page.getByTestId('monitor-detail');
      await detail.getByText(/Every 30 s .* down after 2 failures/).waitFor();
      await shot(page, 'monitoring-en-1024');
      await detail.getByRole('button', { name: 'Delete' }).click();
      await detail.getByRole('button', { name: 'Delete', exact: true }).last().click();
      await row.waitFor({ state: 'detached' });
    } finally {
      await b.close();
    }
  });
});

describe.skipIf(!hasChromium)('a monitor that goes down (jobs running)', () => {
  let t: TestDesk;
  let port = 0;
  beforeAll(async () => {
    // A port nobody listens on: connections are refused at once.
    const net = await import('node:net');
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    t = await startTestDesk({ HOSHU_RUN_JOBS: 'true' });
  });
  afterAll(async () => t?.close());

  it('ja: the monitor turns 停止, its outage is listed with the incident it opened, and its results show', async () => {
    const b = await openBrowser({ locale: 'ja-JP', width: 1024 });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.agent);
      await page.getByRole('link', { name: '監視' }).click();
      const contract = page.getByLabel('契約', { exact: true });
      await contract.selectOption((await contract.locator('option', { hasText: 'WMS 保守契約' }).getAttribute('value'))!);
      await page.getByLabel(/^システム/).selectOption({ label: '倉庫管理システム (WMS)' });
      await page.getByLabel(/^名前/).fill('WMS ゲートウェイ');
      await page.getByLabel('種類').selectOption('tcp');
      await page.getByLabel(/^ホスト/).fill('127.0.0.1');
      await page.getByLabel(/^ポート/).fill(String(port));
      await page.getByLabel('間隔(秒)').fill('1');
      await page.getByLabel('タイムアウト(秒)').fill('1');
      await page.getByLabel('停止と判定する連続失敗回数').fill('2');
      await page.getByRole('button', { name: '追加', exact: true }).click();
      const row = page.getByTestId('monitor-WMS ゲートウェイ');
      await row.waitFor();
      // The page refreshes on its own every 15 s; a reload shows the state sooner. The lists load
      // after the contract is chosen, so each look waits a while for them rather than counting at once.
      await expect.poll(async () => {
        await page.reload();
        await contract.selectOption((await contract.locator('option', { hasText: 'WMS 保守契約' }).getAttribute('value'))!);
        try {
          await row.getByText('停止').waitFor({ timeout: 5_000 });
          await page.getByTestId('outage-row').first().waitFor({ timeout: 5_000 });
          return true;
        } catch {
          return false;
        }
      }, { timeout: 60_000, interval: 1_000 }).toBe(true);
      const outage = page.getByTestId('outage-row').first();
      await outage.getByText('継続中').waitFor();
      await row.getByRole('button', { name: '詳細' }).click();
      const detail = page.getByTestId('monitor-detail');
      await detail.getByTestId('latency-chart').waitFor();
      await detail.getByText('最後のエラー').waitFor();
      // This month's availability lists the downtime interval behind its figure. Its spans read as
      // durations (4日13時間, 0分), none like a clock time (0:00).
      const availability = page.getByRole('row').filter({ hasText: '倉庫管理システム (WMS)' }).filter({ has: page.getByRole('button', { name: '内訳' }) });
      const figures = await availability.innerText();
      expect(figures).toMatch(/\d+(日|時間|分)/);
      expect(figures).not.toMatch(/\d:\d{2}/);
      await availability.getByRole('button', { name: '内訳' }).click();
      await expect.poll(() => page.getByTestId('availability-intervals').innerText()).toMatch(/停止時間\s*\n\s*\d{4}\/\d{2}\/\d{2}/);
      await shot(page, 'monitor-down-ja-1024');
      // The outage opened an urgent incident.
      await outage.getByRole('link', { name: '開く' }).click();
      await page.getByText('緊急').first().waitFor();
    } finally {
      await b.close();
    }
  });
});
