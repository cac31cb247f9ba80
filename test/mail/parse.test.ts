/**
 * Real-world-shaped Japanese mail (test/fixtures/mail, each with an .expected.json):
 * ISO-2022-JP with NEC/IBM extended characters, Shift_JIS from an older Outlook,
 * iPhone UTF-8 with a photo, an HTML-only web form, RFC 2231 Japanese attachment
 * names with an EUC-JP body; and automatic mail that must create nothing.
 * What mailparser alone reads wrong (fixtures from generate-japanese.ts, real encoders'
 * bytes): ISO-2022-JP labels over CP932 or UTF-8 bytes, no MIME headers at all with raw
 * CP932, a delivery report whose machine-readable parts are not body text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectJapanese, labelFits, repairJapanese } from '../../src/modules/mail/mail.charset.ts';
import { attachmentContent, parseMessage, subjectToken, UnparseableMailError } from '../../src/modules/mail/mail.parse.ts';

const dir = path.resolve(import.meta.dirname, '../fixtures/mail');
const raw = (name: string) => fs.readFileSync(path.join(dir, name));

interface Expected {
  subject: string;
  from: { address: string; name: string };
  textIncludes: string[];
  htmlIncludes?: string[];
  attachments: { filename: string; size: number }[];
  automatic: boolean;
}

const people = fs.readdirSync(dir).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace(/\.expected\.json$/, ''));

describe('parsing Japanese mail', () => {
  it('has the nine kinds of fixture', () => {
    expect(people.sort()).toEqual([
      'dsn-report', 'iphone-utf8', 'iso2022jp-nec-ibm', 'label-jis-body-cp932', 'label-jis-body-utf8', 'no-mime-cp932',
      'rfc2231-attachments', 'sjis-outlook2003', 'webform-html-only',
    ]);
  });

  for (const name of people) {
    it(`${name}: subject, sender, body and attachment names`, async () => {
      const expected = JSON.parse(fs.readFileSync(path.join(dir, `${name}.expected.json`), 'utf8')) as Expected;
      const m = await parseMessage(raw(`${name}.eml`));
      expect(m.subject).toBe(expected.subject);
      expect(m.from).toEqual(expected.from);
      for (const s of expected.textIncludes) expect(m.text).toContain(s);
      for (const s of expected.htmlIncludes ?? []) expect(m.html).toContain(s);
      expect(m.attachments.map((a) => ({ filename: a.filename, size: a.size }))).toEqual(expected.attachments);
      expect(m.automatic !== null).toBe(expected.automatic);
      expect(m.messageId).toMatch(/@/);
      expect(m.text).not.toMatch(/\uFFFD|\$B|=\?/); // no mojibake, no undecoded words
      expect(m.subject + m.from.name).not.toMatch(/\uFFFD|\$B|=\?/);
    });
  }

  it('keeps NEC/IBM extended characters of ISO-2022-JP (CP50220)', async () => {
    const m = await parseMessage(raw('iso2022jp-nec-ibm.eml'));
    for (const ch of ['①', '㈱', '髙']) expect(m.subject + m.text).toContain(ch);
  });

  it('mail that needs no repair reaches mailparser byte for byte', async () => {
    for (const name of ['iso2022jp-nec-ibm', 'sjis-outlook2003', 'iphone-utf8', 'webform-html-only', 'rfc2231-attachments', 'autoreply-out-of-office', 'bulk-newsletter']) {
      const bytes = raw(`${name}.eml`);
      expect(await repairJapanese(bytes), name).toBe(bytes);
    }
  });

  it('reads 8-bit CP932 under an ISO-2022-JP label (body and encoded words), with the IBM extension 髙 = 0xFBFC', async () => {
    const bytes = raw('label-jis-body-cp932.eml');
    expect(bytes.includes(Buffer.from([0xfb, 0xfc]))).toBe(true); // what Windows writes for 髙
    const m = await parseMessage(bytes);
    expect(m.subject).toBe('【障害】①受注画面が開かない（㈱髙橋商事）');
    expect(m.text).toContain('㈱髙橋商事の髙橋です。～至急ご確認ください。');
  });

  it('reads mail without any MIME header and raw CP932 in Subject, From and body', async () => {
    const bytes = raw('no-mime-cp932.eml');
    expect(bytes.toString('latin1')).not.toMatch(/MIME-Version|Content-Type/i);
    const m = await parseMessage(bytes);
    expect(m.from).toEqual({ address: 'takagi@takagi-ss.example', name: '髙木 花子' });
    expect(m.subject).toBe('【至急】帳票出力エラー～№３');
    expect(m.text).toContain('ファイル名：C:\\帳票\\月次.xls'); // 0x5C stays a backslash
  });

  it('a delivery report\'s body is its human-readable part; the machine-readable parts are attachments', async () => {
    for (const name of ['dsn-report.eml', 'bounce.eml']) {
      const m = await parseMessage(raw(name));
      expect(m.text, name).not.toMatch(/Reporting-MTA|Final-Recipient|Status: 5/);
      expect(m.automatic, name).not.toBeNull(); // still ignored as automatic mail
    }
    expect((await parseMessage(raw('bounce.eml'))).text).toBe('The mail system: <nobody@sakura-butsuryu.example>: user unknown');
    const status = await attachmentContent(raw('dsn-report.eml'), 0);
    expect(status?.contentType).toBe('message/delivery-status');
    expect(status?.content.toString()).toContain('Final-Recipient: rfc822; nobody@sakura-butsuryu.example');
    // An MTA that labels its status part text/plain: still not body text (RFC 6522: only the first part is for people).
    const plain = Buffer.from(raw('dsn-report.eml').toString('latin1').replace('Content-Type: message/delivery-status', 'Content-Type: text/plain'), 'latin1');
    const m = await parseMessage(plain);
    expect(m.text).toContain('このメールは送信者に返送されました。');
    expect(m.text).not.toContain('Reporting-MTA');
  });

  it('trusts a label only when the bytes fit it', () => {
    const sjis = Buffer.from([0x8e, 0xf3, 0x92, 0x8d]); // 受注 in CP932
    const euc = Buffer.from([0xbc, 0xf5, 0xc3, 0xed]); // 受注 in EUC-JP
    const utf8 = Buffer.from('受注');
    expect(labelFits('ISO-2022-JP', utf8)).toBe(false);
    expect(labelFits('iso-2022-jp', Buffer.from('\x1b$B<uCm\x1b(B'))).toBe(true);
    expect(labelFits(false, utf8)).toBe(true); // mailparser reads unlabelled 8-bit as UTF-8
    expect(labelFits('utf-8', sjis)).toBe(false);
    expect(labelFits('Shift_JIS', sjis)).toBe(true);
    expect(labelFits('EUC-JP', sjis)).toBe(false);
    expect(labelFits('windows-1252', sjis)).toBe(true); // not a label this desk can judge
    expect([detectJapanese(sjis), detectJapanese(euc), detectJapanese(utf8)]).toEqual(['shift_jis', 'euc-jp', 'utf-8']);
    expect(detectJapanese(Buffer.from([0xff, 0xfe, 0xff]))).toBeNull();
  });

  it('a UTF-8 label over Shift_JIS bytes decodes to the text, not to U+FFFD', async () => {
    const body = Buffer.from([...Buffer.from('From: a@b.example\r\nSubject: x\r\nMessage-ID: <u@b>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'), 0x8e, 0xf3, 0x92, 0x8d, 0x0d, 0x0a]);
    expect((await parseMessage(body)).text).toBe('受注');
  });

  it('extracts readable text from HTML-only mail and keeps the HTML', async () => {
    const m = await parseMessage(raw('webform-html-only.eml'));
    expect(m.text).toContain('会社名');
    expect(m.text).not.toContain('<td>');
    expect(m.html).toContain('<script>'); // kept as received; served only under a sandboxing CSP
  });

  it('reads attachment content back from the raw source', async () => {
    const a = await attachmentContent(raw('sjis-outlook2003.eml'), 0);
    expect(a?.filename).toBe('バックアップログ.txt');
    expect(a?.content.length).toBeGreaterThan(10);
  });

  it('recognises auto-replies, bounces and bulk mail', async () => {
    expect((await parseMessage(raw('autoreply-out-of-office.eml'))).automatic).toMatch(/Auto-Submitted/);
    expect((await parseMessage(raw('bounce.eml'))).automatic).toMatch(/return path|report|mailer-daemon/i);
    expect((await parseMessage(raw('bulk-newsletter.eml'))).automatic).toMatch(/Precedence: bulk/);
    const plain = raw('iphone-utf8.eml');
    expect((await parseMessage(plain, '')).automatic).toBe('null envelope sender');
    const xauto = Buffer.concat([Buffer.from('X-Autoreply: yes\r\n'), plain]);
    expect((await parseMessage(xauto)).automatic).toMatch(/x-autoreply/);
    const list = Buffer.concat([Buffer.from('Precedence: list\r\n'), plain]);
    expect((await parseMessage(list)).automatic).toMatch(/list/);
  });

  it('refuses bytes that are not a message', async () => {
    await expect(parseMessage(raw('not-a-message.eml'))).rejects.toBeInstanceOf(UnparseableMailError);
  });

  it('finds the [#number] token in subjects', () => {
    expect(subjectToken('Re: [#42] 受注画面が開かない')).toBe(42);
    expect(subjectToken('RE: [Hoshu #7] SLA警告')).toBe(7);
    expect(subjectToken('#42 no brackets')).toBeNull();
  });
});
