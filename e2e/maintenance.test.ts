/**
 * Maintenance in a real browser: an agent schedules a window starting too soon
 * and is refused by the notice rule (the API's message shown), schedules one far
 * enough ahead and announces it (the contacts get the e-mail over SMTP), publishes the
 * ICS feed and status page, and both, fetched over HTTP, carry the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../test/helpers/smtp.ts';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const HOUR = 3_600_000;
const ZONE = 'Asia/Tokyo';

/** ms → wall time in Tokyo, "YYYY-MM-DDTHH:MM" (what a datetime-local input takes) and "YYYY-MM-DD HH:MM" (the status page). */
function tokyo(ms: number): { input: string; shown: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (k: string) => parts.find((p) => p.type === k)?.value ?? '00';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  return { input: `${date}T${get('hour')}:${get('minute')}`, shown: `${date} ${get('hour')}:${get('minute')}` };
}

interface Notice { kind: string; email: string }

describe.skipIf(!hasChromium)('maintenance in the web UI', () => {
  let t: TestDesk;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    // A real SMTP server on loopback and the job runner on: the announcement's e-mails go out.
    smtp = await startSmtp();
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
      await page.getByRole('heading', { name: '障害キュー' }).waitFor();
      await page.getByRole('link', { name: '保守日程' }).click();
      await page.getByRole('heading', { name: '保守日程', level: 1 }).waitFor();
      const contract = page.getByLabel('契約', { exact: true });
      await contract.selectOption((await contract.locator('option', { hasText: '配送管理システム 保守契約' }).getAttribute('value'))!);
      expect(await page.getByTestId('maintenance-zone').innerText()).toContain(ZONE);

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
      expect(await page.getByTestId('notice-deadline').innerText()).toMatch(/告知期限: .*JST.*2 営業日前/);
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
      expect(await page.getByTestId('announce-done').innerText()).toMatch(/通知先: .*yamada@/);
      expect(await row.innerText()).toContain(`${tokyo(later).shown.slice(0, 10).replaceAll('-', '/')}`);

      // The notices the API recorded: the designated contact and the deputy, kind announce.
      const id = (await row.getAttribute('data-window'))!;
      const detail = await agentGet<{ status: string; noticeInTime: boolean; notices: Notice[] }>(`/api/v1/maintenance/${id}`);
      expect(detail).toMatchObject({ status: 'announced', noticeInTime: true });
      expect(detail.notices.map((n) => n.kind)).toEqual(detail.notices.map(() => 'announce'));
      expect(detail.notices.map((n) => n.email.split('@')[0]).sort()).toEqual(['suzuki', 'yamada']);

      // The contacts got the e-mail.
      await expect.poll(() => smtp.mails.filter((m) => m.text.includes(title)).flatMap((m) => m.to).sort(), { timeout: 15_000 })
        .toEqual(detail.notices.map((n) => n.email).sort());

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
      expect(await status.text()).toContain(tokyo(later).shown);
    } finally {
      await b.close();
    }
  });
});
