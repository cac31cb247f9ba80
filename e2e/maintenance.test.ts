/**
 * Maintenance in a real browser: an agent schedules a window starting too soon
 * and is refused by the notice rule (the API's message shown), schedules one far
 * enough ahead and announces it (the contacts get the e-mail over SMTP; the page shows
 * per recipient what the server said — sent, or refused with its reply), publishes the
 * ICS feed and status page, and both, fetched over HTTP, carry the window. On a desk
 * without SMTP the page warns with a banner and every recipient shows as failed.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSmtp } from '../test/helpers/smtp.ts';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const HOUR = 3_600_000;
const ZONE = 'Asia/Tokyo';

/**
 * ms → wall time in Tokyo: "YYYY-MM-DDTHH:MM" (what a datetime-local input takes), "YYYY-MM-DD HH:MM",
 * and "YYYY/MM/DD(曜) HH:MM" (the status page, as the console writes instants).
 */
function tokyo(ms: number): { input: string; shown: string; page: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (k: string) => parts.find((p) => p.type === k)?.value ?? '00';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  const weekday = new Intl.DateTimeFormat('ja-JP', { timeZone: ZONE, weekday: 'short' }).format(new Date(ms));
  const time = `${get('hour')}:${get('minute')}`;
  return { input: `${date}T${time}`, shown: `${date} ${time}`, page: `${date.replaceAll('-', '/')}(${weekday}) ${time}` };
}

interface Notice { kind: string; email: string }

const REFUSAL = '550 5.1.1 <suzuki@sakura-logi.example>: Recipient address rejected: User unknown';

/** Opens 保守日程 from the queue for the demo's 配送管理システム contract. */
async function openMaintenance(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '障害キュー' }).waitFor();
  await page.getByRole('link', { name: '保守日程' }).click();
  await pickContract(page);
}

async function pickContract(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '保守日程', level: 1 }).waitFor();
  const contract = page.getByLabel('契約', { exact: true });
  await contract.selectOption((await contract.locator('option', { hasText: '配送管理システム 保守契約' }).getAttribute('value'))!);
}

/** Per recipient: [address, status badge, detail line]. */
async function deliveries(page: Page, within = page.getByTestId('announce-done')): Promise<Array<[string, string, string]>> {
  const rows = within.getByTestId('delivery');
  const out: Array<[string, string, string]> = [];
  for (let i = 0; i < await rows.count(); i++) {
    const r = rows.nth(i);
    const detail = r.getByTestId('delivery-detail');
    out.push([(await r.getAttribute('data-recipient'))!.split('@')[0]!, (await r.getByTestId('delivery-status').textContent()) ?? '', (await detail.count()) ? await detail.innerText() : '']);
  }
  return out.sort();
}

describe.skipIf(!hasChromium)('maintenance in the web UI', () => {
  let t: TestDesk;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    // A real SMTP server on loopback and the job runner on: the announcement's e-mails go out.
    // The deputy's mailbox is gone: the relay refuses it, and the page must say so.
    smtp = await startSmtp({ refuse: { 'suzuki@sakura-logi.example': REFUSAL } });
    t = await startTestDesk({ HOSHU_RUN_JOBS: 'true', HOSHU_JOB_POLL_MS: '100', HOSHU_SMTP_URL: smtp.url });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function agentGet<T>(url: string): Promise<T> {
    const r = await t.desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.creds.agent.email, password: t.creds.agent.password } });
    const cookie = r.cookies.find((c) => c.name === 'hoshu_session')!;
    const res = await t.desk.http.inject({ method: 'GET', url, headers: { cookie: `hoshu_session=${cookie.value}` } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  }

  it('refuses a late announcement, announces one in time, and the ICS feed and status page show it', async () => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      await openMaintenance(page);
      // The zone the form's times are typed in: named, with its id (日本標準時 (Asia/Tokyo)).
      expect(await page.getByTestId('maintenance-zone').innerText()).toContain(`日本標準時 (${ZONE})`);
      // Mail is configured here: no warning.
      expect(await page.getByTestId('outbound-mail-banner').count()).toBe(0);

      const schedule = async (startMs: number, title: string) => {
        await page.getByLabel(/^開始/).fill(tokyo(startMs).input);
        await page.getByLabel(/^終了/).fill(tokyo(startMs + 2 * HOUR).input);
        await page.getByLabel(/^件名/).fill(title);
        await page.getByRole('button', { name: '登録', exact: true }).click();
        const row = page.locator('[data-testid=maintenance-windows] tbody tr', { hasText: title });
        await row.waitFor();
        return row;
      };

      // Too soon: the deadline shown while typing is already past, and announcing is refused.
      const soon = Math.ceil((Date.now() + 3 * HOUR) / HOUR) * HOUR;
      await page.getByLabel(/^開始/).fill(tokyo(soon).input);
      await expect.poll(() => page.getByTestId('notice-deadline').getAttribute('data-in-time')).toBe('false');
      // The deadline carries its zone as JST like every instant; the raw zone id is not repeated.
      expect(await page.getByTestId('notice-deadline').innerText()).toMatch(/告知期限: \d{4}\/\d{2}\/\d{2}\(.\) \d{2}:\d{2} JST \(契約カレンダーで 2 営業日前\)/);
      expect(await page.getByTestId('notice-deadline').innerText()).not.toContain(ZONE);
      const lateRow = await schedule(soon, 'E2E 直前のパッチ適用');
      expect(await lateRow.locator('[data-status]').getAttribute('data-status')).toBe('draft');
      await lateRow.getByRole('button', { name: '告知', exact: true }).click();
      const refused = page.getByTestId('announce-error');
      await refused.waitFor();
      expect(await refused.getByRole('alert').innerText()).toContain('告知期限を過ぎています');
      // The emergency option is offered, and it wants a reason.
      await refused.getByRole('button', { name: '緊急保守として告知' }).click();
      await refused.getByText('緊急保守には理由が必要です。').waitFor();
      expect(await lateRow.locator('[data-status]').getAttribute('data-status')).toBe('draft');

      // Far enough ahead: in time, announced, the designated contact notified.
      const later = Math.ceil((Date.now() + 14 * 24 * HOUR) / HOUR) * HOUR;
      await page.getByLabel(/^開始/).fill(tokyo(later).input);
      await expect.poll(() => page.getByTestId('notice-deadline').getAttribute('data-in-time')).toBe('true');
      const title = 'E2E OS パッチ適用';
      const row = await schedule(later, title);
      await row.getByRole('button', { name: '告知', exact: true }).click();
      await expect.poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('announced');
      // Per recipient, what the SMTP server said: yamada accepted with the relay's reply, suzuki refused.
      await expect.poll(() => deliveries(page), { timeout: 15_000 }).toEqual([
        ['suzuki', '失敗', REFUSAL],
        ['yamada', '送信済み', '250 2.0.0 Ok: queued as TEST1'],
      ]);
      await page.screenshot({ path: path.join(os.tmpdir(), 'hoshu-maintenance-deliveries.png'), fullPage: true });
      expect(await row.innerText()).toContain(`${tokyo(later).shown.slice(0, 10).replaceAll('-', '/')}`);

      // The notices the API recorded: the designated contact and the deputy, kind announce.
      const id = (await row.getAttribute('data-window'))!;
      const detail = await agentGet<{ status: string; noticeInTime: boolean; notices: Notice[] }>(`/api/v1/maintenance/${id}`);
      expect(detail).toMatchObject({ status: 'announced', noticeInTime: true });
      expect(detail.notices.map((n) => n.kind)).toEqual(detail.notices.map(() => 'announce'));
      expect(detail.notices.map((n) => n.email.split('@')[0]).sort()).toEqual(['suzuki', 'yamada']);

      // The contact whose address the relay took got the e-mail; the refused one did not.
      await expect.poll(() => smtp.mails.filter((m) => m.text.includes(title)).flatMap((m) => m.to).sort(), { timeout: 15_000 })
        .toEqual(['yamada@sakura-logi.example']);
      // The row's own notice list says the same after a reload.
      await page.reload();
      await pickContract(page);
      const again = page.locator(`[data-window="${id}"]`);
      await again.getByRole('button', { name: '通知状況' }).click();
      await expect.poll(() => deliveries(page, page.locator(`[data-notices-of="${id}"]`))).toEqual([
        ['suzuki', '失敗', REFUSAL],
        ['yamada', '送信済み', '250 2.0.0 Ok: queued as TEST1'],
      ]);

      // Publish: the token URLs are shown once; both serve the window without a login.
      await page.getByTestId('publication').getByRole('button', { name: '公開', exact: true }).click();
      const icsUrl = (await page.getByTestId('ics-url').getAttribute('href'))!;
      const statusUrl = (await page.getByTestId('status-url').getAttribute('href'))!;
      const ics = await fetch(icsUrl);
      expect(ics.status).toBe(200);
      expect(ics.headers.get('content-type')).toContain('text/calendar');
      const feed = (await ics.text()).replace(/\r\n[ \t]/g, '');
      expect(feed).toContain(`SUMMARY:${title}`);
      expect(feed).not.toContain('E2E 直前のパッチ適用'); // drafts are left out
      const status = await fetch(`${statusUrl}?lang=ja`);
      expect(status.status).toBe(200);
      expect(await status.text()).toContain(tokyo(later).page);
    } finally {
      await b.close();
    }
  });
});

describe.skipIf(!hasChromium)('maintenance on a desk without outbound mail', () => {
  let t: TestDesk;
  beforeAll(async () => {
    // The job runner on, but no HOSHU_SMTP_URL: nothing can be sent.
    t = await startTestDesk({ HOSHU_RUN_JOBS: 'true', HOSHU_JOB_POLL_MS: '100' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('warns on the page and shows each recipient as failed, "not sent", instead of notified', async () => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      await openMaintenance(page);
      const banner = page.getByTestId('outbound-mail-banner');
      await banner.waitFor();
      expect(await banner.innerText()).toContain('メール送信が設定されていません');

      const later = Math.ceil((Date.now() + 14 * 24 * HOUR) / HOUR) * HOUR;
      await page.getByLabel(/^開始/).fill(tokyo(later).input);
      await page.getByLabel(/^終了/).fill(tokyo(later + 2 * HOUR).input);
      await page.getByLabel(/^件名/).fill('E2E SMTP なしの告知');
      await page.getByRole('button', { name: '登録', exact: true }).click();
      const row = page.locator('[data-testid=maintenance-windows] tbody tr', { hasText: 'E2E SMTP なしの告知' });
      await row.getByRole('button', { name: '告知', exact: true }).click();
      await expect.poll(() => row.locator('[data-status]').getAttribute('data-status')).toBe('announced');
      const notSent = '送信されていません: メール送信 (SMTP) が設定されていません。';
      await expect.poll(() => deliveries(page), { timeout: 15_000 }).toEqual([['suzuki', '失敗', notSent], ['yamada', '失敗', notSent]]);
      expect(await page.getByTestId('announce-done').innerText()).not.toMatch(/送信済み/);
      await page.screenshot({ path: path.join(os.tmpdir(), 'hoshu-maintenance-no-smtp.png'), fullPage: true });

      // The same in English.
      await page.getByText('English', { exact: true }).click();
      await banner.getByText('Outbound mail is not configured').waitFor();
      expect((await deliveries(page)).map(([who, status, detail]) => [who, status, detail]))
        .toEqual([['suzuki', 'Failed', 'Not sent: outbound mail (SMTP) is not configured.'], ['yamada', 'Failed', 'Not sent: outbound mail (SMTP) is not configured.']]);
    } finally {
      await b.close();
    }
  });
  it('before a contract is chosen, lists what is coming on every contract; a contract name opens its windows', async () => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      await page.getByRole('heading', { name: '障害キュー' }).waitFor();
      await page.getByRole('link', { name: '保守日程' }).click();
      const upcoming = page.getByTestId('maintenance-upcoming');
      // The demo's week: a change's window announced on the WMS contract, a draft on the portal contract.
      const scheduled = upcoming.locator('tbody tr', { hasText: '出荷指示画面に配送便の指定欄を追加' });
      await scheduled.waitFor();
      expect(await scheduled.locator('[data-status]').getAttribute('data-status')).toBe('announced');
      const draft = upcoming.locator('tbody tr', { hasText: 'ファイルサーバーのストレージ増設' });
      expect(await draft.locator('[data-status]').getAttribute('data-status')).toBe('draft');
      // Past windows are not "coming".
      expect(await upcoming.innerText()).not.toContain('サーバーOSの月例パッチ適用');
      // The contract's name lines up with the client's under it, as on the monitoring page: a button centres its text, and a
      // name on two lines (社内ポータル / 保守契約, English at 1280 px) stood centred over the client's left-aligned one.
      const name = draft.getByRole('button', { name: '社内ポータル 保守契約' });
      expect(await name.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).textAlign)).toBe('left');
      await name.click();
      await page.locator('[data-testid=maintenance-windows] tbody tr', { hasText: 'ファイルサーバーのストレージ増設' }).waitFor();
      expect(await upcoming.count()).toBe(0);
    } finally {
      await b.close();
    }
  });
});
