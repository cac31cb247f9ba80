/**
 * Webhooks in a real browser (admin): add an endpoint on a loopback receiver (allowed
 * by the insecure flag), see its secret once, send a test event, and watch the delivery
 * log show the success and its attempt; the page in Japanese and in English. The
 * receiver verifies the signature with the secret the page showed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startReceiver, type Receiver } from '../test/helpers/receiver.ts';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

describe.skipIf(!hasChromium)('webhooks in the web UI', () => {
  let t: TestDesk;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
    t = await startTestDesk({ HOSHU_RUN_JOBS: 'true', HOSHU_JOB_POLL_MS: '100' });
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('adds an endpoint, shows the secret once, sends a test event and logs its delivery (ja)', async () => {
    const b = await openBrowser();
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin);
      await page.getByRole('link', { name: 'Webhook' }).click();
      await page.getByRole('heading', { name: 'Webhook', level: 1 }).waitFor();
      await page.getByLabel('URL', { exact: false }).first().fill(`${rx.url}/ui`);
      await page.getByLabel('説明').fill('監視システム連携');
      await page.getByLabel('安全でない接続を許可（http・プライベートアドレス。テスト用）').check();
      await page.getByRole('button', { name: '追加', exact: true }).click();
      const secret = (await page.getByTestId('webhook-secret').textContent())!;
      expect(secret).toMatch(/^whsec_/);
      await page.getByText(`${rx.url}/ui`).click();
      await page.getByRole('button', { name: 'テスト送信' }).click();
      await page.getByText('テストイベントを送信しました').waitFor();
      await expect.poll(() => rx.received.filter((r) => r.path === '/ui').length, { timeout: 10_000 }).toBe(1);
      const r = rx.received.find((x) => x.path === '/ui')!;
      const payload = new Webhook(secret).verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']),
      }) as { type: string; data: { message: string } };
      expect(payload.type).toBe('webhook.test');
      expect(payload.data.message).toContain('テストイベント');
      // The delivery log shows the success (it refreshes on its own).
      await page.getByText('成功').first().waitFor({ timeout: 20_000 });
      // The secret is never shown again once the page is reloaded.
      await page.reload();
      await page.getByRole('heading', { name: 'Webhook', level: 1 }).waitFor();
      expect(await page.getByTestId('webhook-secret').count()).toBe(0);
      expect(await page.content()).not.toContain(secret);
    } finally {
      await b.close();
    }
  });

  it('speaks English and saves a contract\'s escalation rules', async () => {
    const b = await openBrowser({ locale: 'en-US' });
    try {
      const { page } = b;
      await login(page, t.url, t.creds.admin, { email: 'E-mail', password: 'Password', submit: 'Sign in' });
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { name: 'Escalation rules' }).waitFor();
      await page.getByText('Follows the default rules').waitFor();
      await page.getByLabel('On breach: the contract\'s engineer in charge').uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('This contract\'s own rules').waitFor();
    } finally {
      await b.close();
    }
  });
});
