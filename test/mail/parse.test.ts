/**
 * Real-world-shaped Japanese mail (test/fixtures/mail, each with an .expected.json):
 * ISO-2022-JP with NEC/IBM extended characters, Shift_JIS from an older Outlook,
 * iPhone UTF-8 with a photo, an HTML-only web form, RFC 2231 Japanese attachment
 * names with an EUC-JP body; and automatic mail that must create nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
  it('has the five kinds of fixture', () => {
    expect(people.sort()).toEqual(['iphone-utf8', 'iso2022jp-nec-ibm', 'rfc2231-attachments', 'sjis-outlook2003', 'webform-html-only']);
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
    });
  }

  it('keeps NEC/IBM extended characters of ISO-2022-JP (CP50220)', async () => {
    const m = await parseMessage(raw('iso2022jp-nec-ibm.eml'));
    for (const ch of ['①', '㈱', '髙']) expect(m.subject + m.text).toContain(ch);
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
