/**
 * Password resets in a real browser (issue 17). ja: an admin sends a reset link from the
 * users screen; the mail arrives at a real SMTP server (test/helpers/smtp.ts) in the
 * user's language; the link's page refuses a weak password in Japanese, sets a good
 * one, and then works no more. en: after a one-time password the user meets the forced
 * change screen, and the console only after choosing their own password.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../test/helpers/smtp.ts';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

const EN = { email: 'E-mail', password: 'Password', submit: 'Sign in' };

describe.skipIf(!hasChromium)('password reset in the web UI', () => {
  let t: TestDesk;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestDesk({ HOSHU_RUN_JOBS: 'true', HOSHU_JOB_POLL_MS: '100', HOSHU_SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const addUser = async (page: Page, email: string, name: string, labels: { create: string; email: RegExp; name: RegExp; added: string }) => {
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: labels.create, exact: true }) });
    await form.getByLabel(labels.email).fill(email);
    await form.getByLabel(labels.name).fill(name);
    await page.getByRole('button', { name: labels.create, exact: true }).click();
    await page.getByText(labels.added).waitFor();
  };
  const signIn = (email: string, password: string) => fetch(`${t.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });

  it('ja: an e-mailed link sets a new password once', async () => {
    const admin = await openBrowser({ locale: 'ja-JP' });
    const user = await openBrowser({ locale: 'ja-JP' });
    try {
      const { page } = admin;
      await login(page, t.url, t.creds.admin);
      await page.getByRole('link', { name: 'ユーザー', exact: true }).click();
      await addUser(page, 'reset-ja@hoshu.example', '鈴木 一郎', { create: '作成', email: /^メール/, name: /^名前/, added: 'reset-ja@hoshu.example を追加しました。' });
      await page.getByTestId('user-reset-ja@hoshu.example').getByRole('button', { name: 'リセットリンクを送信' }).click();
      await page.getByText('reset-ja@hoshu.example にパスワード再設定リンクを送信しました', { exact: false }).waitFor();

      await expect.poll(() => smtp.mails.filter((m) => m.to.includes('reset-ja@hoshu.example')).length, { timeout: 10_000 }).toBe(1);
      const mail = smtp.mails.find((m) => m.to.includes('reset-ja@hoshu.example'))!;
      expect(mail.subject).toBe('[Hoshu] パスワード再設定のご案内');
      const link = /\/reset\/[A-Za-z0-9_-]+/.exec(mail.text)![0];

      const p = user.page;
      await p.goto(`${t.url}${link}`);
      await p.getByText('reset-ja@hoshu.example の新しいパスワードを設定します。').waitFor();
      await p.getByLabel(/^新しいパスワード( \*)?$/).fill('short');
      await p.getByLabel(/^新しいパスワード\(確認\)/).fill('short');
      await p.getByRole('button', { name: 'パスワードを設定' }).click();
      await p.getByText('パスワードは 12 文字以上にしてください。').first().waitFor();
      await p.getByLabel(/^新しいパスワード( \*)?$/).fill('郵便で届いた新しい合言葉です');
      await p.getByLabel(/^新しいパスワード\(確認\)/).fill('郵便で届いた新しい合言葉です');
      await p.getByRole('button', { name: 'パスワードを設定' }).click();
      await p.getByText('パスワードを設定しました。').waitFor();
      expect((await signIn('reset-ja@hoshu.example', '郵便で届いた新しい合言葉です')).status).toBe(200);
      // The link works once.
      await p.goto(`${t.url}${link}`);
      await p.getByText('このパスワード再設定リンクは無効か、既に使用されています。', { exact: false }).waitFor();
    } finally {
      await admin.close();
      await user.close();
    }
  });

  it('en: after a one-time password the user must choose their own before the console opens', async () => {
    const admin = await openBrowser({ locale: 'en-US' });
    const user = await openBrowser({ locale: 'en-US' });
    try {
      const { page } = admin;
      await login(page, t.url, t.creds.admin, EN);
      await page.getByRole('link', { name: 'Users', exact: true }).click();
      await addUser(page, 'otp-en@hoshu.example', 'Jane Agent', { create: 'Create', email: /^E-mail/, name: /^Name/, added: 'otp-en@hoshu.example was added.' });
      await page.getByTestId('user-otp-en@hoshu.example').getByRole('button', { name: 'One-time password' }).click();
      const otp = (await page.getByTestId('one-time-password').innerText()).trim();

      const p = user.page;
      await login(p, t.url, { ...t.creds.agent, email: 'otp-en@hoshu.example', password: otp }, EN);
      await p.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      // The API refuses everything else meanwhile, in the user's language.
      const blocked = await p.evaluate(async () => {
        const r = await fetch('/api/v1/incidents', { headers: { 'accept-language': 'en' } });
        return { status: r.status, body: (await r.json()) as { code: string } };
      });
      expect(blocked).toMatchObject({ status: 403, body: { code: 'auth.password_change_required' } });
      await p.getByLabel(/^One-time password/).fill(otp);
      await p.getByLabel(/^New password( \*)?$/).fill('my very own passphrase');
      await p.getByLabel(/^New password \(again\)/).fill('my very own passphrase');
      await p.getByRole('button', { name: 'Change password' }).click();
      await p.getByRole('link', { name: 'Profile', exact: true }).waitFor();
      await p.getByTestId('forced-password-change').waitFor({ state: 'detached' });
      expect((await signIn('otp-en@hoshu.example', 'my very own passphrase')).status).toBe(200);
    } finally {
      await admin.close();
      await user.close();
    }
  });
});
