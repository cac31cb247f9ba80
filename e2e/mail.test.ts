/**
 * Issue 5's "Done when", in a real browser: a Japanese mail (ISO-2022-JP with the
 * NEC/IBM extensions ①, ㈱, 髙 and a Japanese-named attachment) is delivered into a
 * real Dovecot mailbox that the desk reads over IMAP — configured with
 * HOSHU_IMAP_URL exactly as `hoshu serve` reads it, no test-only path. It shows up
 * in the agent's queue with the right subject; the agent opens it (the SLA clock
 * starts: recognized_at is set, received_at stays the arrival), sees sender, body,
 * the "not via designated contact" flag and downloads the attachment, writes a
 * reply in the UI, and the reply arrives over SMTP (a real listener on loopback)
 * threaded: In-Reply-To/References point at the original Message-ID and the subject
 * carries [#number-token]. The client's answer to that reply joins the same incident.
 * An HTML-only mail shows as readable text; its HTML only in a sandbox.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import Encoding from 'encoding-japanese';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dovecotAvailable, startDovecot, type Dovecot } from '../test/helpers/dovecot.ts';
import { startSmtp } from '../test/helpers/smtp.ts';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

if (!dovecotAvailable && process.env.CI) throw new Error('dovecot-imapd is missing: apt-get install -y dovecot-imapd');

/** ISO-2022-JP with the CP50220 table (what Outlook sends for ①, ㈱, 髙). */
const jis = (s: string): Buffer => {
  const bytes = Buffer.from(Encoding.convert(Encoding.stringToCode(s), { to: 'JIS', from: 'UNICODE' }));
  if (Encoding.codeToString(Encoding.convert(bytes, { to: 'UNICODE', from: 'JIS' })) !== s) throw new Error(`not JIS-safe: ${s}`);
  return bytes;
};
/** Waits up to 10 s (the default 1 s is short on a loaded 2-core machine). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });
const word = (s: string) => `=?ISO-2022-JP?B?${jis(s).toString('base64')}?=`;

const SUBJECT = '【障害】①受注画面が開かない（㈱髙橋商事）';
const BODY = [
  'いつもお世話になっております。',
  '㈱髙橋商事の髙橋です。',
  '',
  '①受注入力画面で「登録」を押すとエラーになります。',
  '②再起動しても直りません。',
  '',
  'よろしくお願いいたします。',
].join('\n');
const SENDER = 'takahashi@takahashi-shoji.example';
const ATTACHMENT = '受注エラー画面①_髙橋.txt';
const ATTACHMENT_BYTES = Buffer.from('2026-04-01 10:01:58 ERROR JuchuService: duplicate key (order_no)\n');

/** An Outlook-shaped message: ISO-2022-JP headers and body, an RFC 2231 attachment name. */
function outlookMail(messageId: string): Buffer {
  return Buffer.from([
    `Return-Path: <${SENDER}>`,
    `From: ${word('髙橋 一郎')} <${SENDER}>`,
    'To: desk@example.com',
    `Subject: ${word(SUBJECT.slice(0, 10))}`,
    ` ${word(SUBJECT.slice(10))}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="----=_NextPart_000_0001"',
    'X-Mailer: Microsoft Outlook 16.0',
    '',
    '------=_NextPart_000_0001',
    'Content-Type: text/plain; charset="iso-2022-jp"',
    'Content-Transfer-Encoding: 7bit',
    '',
    jis(BODY.replace(/\n/g, '\r\n')).toString('latin1'),
    '',
    '------=_NextPart_000_0001',
    'Content-Type: text/plain; charset="us-ascii"',
    `Content-Disposition: attachment; filename*=UTF-8''${encodeURIComponent(ATTACHMENT)}`,
    'Content-Transfer-Encoding: base64',
    '',
    ATTACHMENT_BYTES.toString('base64'),
    '------=_NextPart_000_0001--',
    '',
  ].join('\r\n'), 'latin1');
}

describe.skipIf(!hasChromium || !dovecotAvailable)('the e-mail channel end to end (Dovecot → UI → SMTP)', () => {
  let t: TestDesk;
  let dovecot: Dovecot;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    dovecot = await startDovecot();
    smtp = await startSmtp();
    // The settings an operator sets for `hoshu serve` (docs/mail.md): the mailbox bound to one contract,
    // outbound through an SMTP relay, ISO-2022-JP replies; jobs on in this process.
    t = await startTestDesk(
      { HOSHU_RUN_JOBS: 'true', HOSHU_JOB_POLL_MS: '100', HOSHU_SMTP_URL: smtp.url, HOSHU_MAIL_FROM: 'Hoshu サポート <support@hoshu.example>', HOSHU_MAIL_CHARSET: 'iso-2022-jp', HOSHU_IMAP_POLL_MS: '1000' },
      async (db) => {
        const c = await db.selectFrom('contracts').select(['id', 'clientId']).where('name', '=', '配送管理システム 保守契約').executeTakeFirstOrThrow();
        // The sender is a registered contact of the client, not designated on the contract: acknowledged, still flagged.
        const now = Date.now();
        await db.insertInto('contacts').values({ id: crypto.randomUUID(), clientId: c.clientId, name: '髙橋 一郎', email: SENDER, phone: null, createdAt: now, updatedAt: now }).execute();
        return { HOSHU_IMAP_URL: dovecot.url(`?contract=${c.id}`) };
      },
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await dovecot?.stop();
  });

  const db = () => t.desk.database.db;
  /** The incident a stored mail became (waits for IMAP intake and processing). */
  async function incidentOfMail(messageId: string, status = 'incident') {
    await expect.poll(async () => (await db().selectFrom('mailMessages').select('status').where('messageId', '=', messageId).executeTakeFirst())?.status, { timeout: 20_000 }).toBe(status);
    const m = await db().selectFrom('mailMessages').select(['incidentId']).where('messageId', '=', messageId).executeTakeFirstOrThrow();
    return db().selectFrom('incidents').select(['id', 'number', 'title', 'receivedAt', 'recognizedAt', 'status']).where('id', '=', m.incidentId!).executeTakeFirstOrThrow();
  }

  it('a Japanese mail becomes an incident; the agent opens it, downloads the attachment and replies; the reply arrives threaded', async () => {
    const originalId = `000001dca1b2$${Date.now()}$@takahashi-shoji.example`;
    const deliveredAt = Date.now();
    dovecot.deliver(outlookMail(originalId), SENDER);
    const inc = await incidentOfMail(originalId);
    expect(inc).toMatchObject({ title: SUBJECT, status: 'new', recognizedAt: null });
    // received_at is the mailbox's arrival time (IMAP INTERNALDATE, one-second resolution).
    expect(Math.abs(inc.receivedAt - deliveredAt)).toBeLessThan(2_000);

    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      const row = page.locator(`[data-testid=queue] tbody tr[data-incident="${inc.number}"]`);
      await row.waitFor();
      expect(await row.innerText()).toContain(SUBJECT);
      expect(await row.innerText()).toContain('窓口担当者以外からの連絡');
      // The page says "opened" with one command; its reads (GET) change nothing.
      const opens: string[] = [];
      page.on('request', (r) => { if (r.url().includes(`/api/v1/incidents/${inc.id}`) && r.method() !== 'GET') opens.push(`${r.method()} ${new URL(r.url()).pathname}`); });
      await row.getByRole('link', { name: SUBJECT }).click();

      // Opened by an agent: recognized now, the lag since arrival kept.
      await page.getByRole('heading', { level: 1, name: `#${inc.number} ${SUBJECT}`, exact: true }).waitFor();
      await poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('recognized');
      expect(opens).toEqual([`POST /api/v1/incidents/${inc.id}/open`]);
      expect(await page.getByTestId('recognized-at').innerText()).toMatch(/JST$/);
      const opened = await db().selectFrom('incidents').select(['receivedAt', 'recognizedAt']).where('id', '=', inc.id).executeTakeFirstOrThrow();
      expect(opened.receivedAt).toBe(inc.receivedAt);
      expect(opened.recognizedAt).toBeGreaterThanOrEqual(inc.receivedAt);

      // The mail as received: sender, flag, subject, body, attachment.
      const mail = page.getByTestId('mail').first();
      expect(await mail.getByTestId('mail-from').innerText()).toBe(`髙橋 一郎 <${SENDER}>`);
      expect(await mail.getByTestId('mail-not-designated').isVisible()).toBe(true);
      expect(await mail.getByTestId('mail-subject').innerText()).toBe(SUBJECT);
      expect(await mail.getByTestId('mail-body').innerText()).toBe(BODY);
      const link = mail.getByRole('link', { name: ATTACHMENT });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe(ATTACHMENT);
      expect(fs.readFileSync(await download.path())).toEqual(ATTACHMENT_BYTES);
      // The same link with the browser's session: the headers a browser relies on.
      const res = await page.request.get(new URL((await link.getAttribute('href'))!, t.url).href);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toMatch(/^text\/plain/);
      expect(res.headers()['x-content-type-options']).toBe('nosniff');
      expect(res.headers()['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(ATTACHMENT)}`);

      // The reply, written in the UI, goes out by e-mail (ticked by default for e-mail incidents).
      const byEmail = page.getByLabel(`メールで送信 (${SENDER})`);
      expect(await byEmail.isChecked()).toBe(true);
      const replyText = '髙橋様\n\nご連絡ありがとうございます。①の事象を確認しております。\n㈱髙橋商事様の受注データは保全済みです。';
      await page.getByLabel('メッセージ', { exact: true }).fill(replyText);
      await page.getByRole('button', { name: '送信', exact: true }).click();
      await page.getByTestId('mail-sent').waitFor();
      await poll(() => page.getByTestId('timeline').innerText()).toContain('①の事象を確認しております。');

      // It arrives over SMTP, threaded under the original.
      const isReply = (m: { to: string[]; subject: string }) => m.to.includes(SENDER) && m.subject.startsWith('Re:');
      await expect.poll(() => smtp.mails.filter(isReply).length, { timeout: 15_000 }).toBe(1);
      const got = smtp.mails.find(isReply)!;
      expect(got.from).toBe('support@hoshu.example');
      expect(got.subject).toMatch(new RegExp(`^Re: \\[#${inc.number}-[a-z2-9]{10}\\] `));
      expect(got.subject.endsWith(SUBJECT)).toBe(true);
      expect(got.text.replace(/\r\n/g, '\n').trim()).toBe(replyText);
      const parsed = await simpleParser(Buffer.from(got.raw, 'utf8'));
      expect(parsed.inReplyTo).toBe(`<${originalId}>`);
      expect([parsed.references ?? []].flat()).toContain(`<${originalId}>`);
      expect(parsed.headers.get('content-type')).toMatchObject({ value: 'text/plain', params: { charset: 'ISO-2022-JP' } });
      expect(parsed.from?.value[0]).toMatchObject({ address: 'support@hoshu.example', name: 'Hoshu サポート' });
      // The acknowledgement went to the sender too, threaded, and marked automatic.
      const ack = smtp.mails.find((m) => m.to.includes(SENDER) && m.subject.startsWith('【受付】'))!;
      expect(ack.subject).toBe(`【受付】${/\[#\d+-[a-z2-9]+\]/.exec(got.subject)![0]} ${SUBJECT}`);
      expect(ack.raw).toMatch(/^Auto-Submitted: auto-replied/m);
      // The page lists both as the relay recorded them: sent, with its reply (no "sent" before it said so).
      const outbound = page.getByTestId('outbound-mails');
      await expect.poll(() => outbound.getByTestId('delivery-status').allTextContents(), { timeout: 15_000 }).toEqual(['送信済み', '送信済み']);
      expect(await outbound.innerText()).toMatch(/受付確認[\s\S]*返信/);
      expect(await outbound.getByTestId('delivery-detail').first().innerText()).toMatch(/^250 /);

      // The client's answer to our reply threads back into the same incident.
      const answerId = `answer.${Date.now()}@takahashi-shoji.example`;
      dovecot.deliver(Buffer.from([
        `From: ${word('髙橋 一郎')} <${SENDER}>`, 'To: desk@example.com', `Subject: ${word(`RE: ${got.subject}`)}`,
        `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`, `Message-ID: <${answerId}>`,
        `In-Reply-To: ${parsed.messageId!}`, `References: <${originalId}> ${parsed.messageId!}`,
        'MIME-Version: 1.0', 'Content-Type: text/plain; charset="iso-2022-jp"', 'Content-Transfer-Encoding: 7bit', '',
        jis('承知しました。再発したら①の画面写しを送ります。\r\n\r\n> ご連絡ありがとうございます。').toString('latin1'), '',
      ].join('\r\n'), 'latin1'), SENDER);
      expect((await incidentOfMail(answerId, 'reply')).id).toBe(inc.id);
      await page.reload();
      await poll(() => page.getByTestId('mail').count()).toBe(2);
      expect(await page.getByTestId('mail').nth(1).innerText()).toContain('承知しました。再発したら①の画面写しを送ります。');
      await poll(() => page.getByTestId('timeline').innerText()).toContain('承知しました。');
    } finally {
      await b.close();
    }
  });

  it('an HTML-only mail shows as readable text; its HTML only in a sandbox where scripts do not run', async () => {
    const id = `webform.${Date.now()}@sakura-logi.example`;
    const html = '<html><body><p>株式会社さくら物流　物流部</p><table><tr><td>件名</td><td>帳票が文字化けする</td></tr></table>'
      + '<script>document.body.insertAdjacentHTML("beforeend", "<b id=ran>SCRIPT RAN</b>")</script></body></html>';
    dovecot.deliver(Buffer.from([
      'From: Web Form <noreply-form@sakura-logi.example>', 'To: desk@example.com', `Subject: =?UTF-8?B?${Buffer.from('【お問い合わせフォーム】帳票出力について').toString('base64')}?=`,
      `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`, `Message-ID: <${id}>`, 'MIME-Version: 1.0',
      'Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: base64', '', Buffer.from(html).toString('base64').replace(/.{76}/g, '$&\r\n'), '',
    ].join('\r\n')), 'noreply-form@sakura-logi.example');
    const inc = await incidentOfMail(id);

    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      await page.locator('[data-testid=queue] tbody tr').first().waitFor();
      await page.goto(`${t.url}/incidents/${inc.id}`);
      const body = page.getByTestId('mail').first().getByTestId('mail-body');
      await body.waitFor();
      const text = await body.innerText();
      expect(text).toContain('株式会社さくら物流');
      expect(text).toContain('帳票が文字化けする');
      expect(text).not.toMatch(/<\/?(table|td|p|script)\b/i);
      expect(await page.locator('#ran').count()).toBe(0);

      await page.getByRole('button', { name: 'HTML 版を表示' }).click();
      const frame = page.locator('iframe[title^="メールの HTML 版"]');
      expect(await frame.getAttribute('sandbox')).toBe('');
      const inner = page.frameLocator('iframe[title^="メールの HTML 版"]');
      await inner.getByText('帳票が文字化けする').waitFor();
      expect(await inner.locator('#ran').count()).toBe(0);
    } finally {
      await b.close();
    }
  });
});
