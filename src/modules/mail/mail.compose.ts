/**
 * Outbound desk mail (acknowledgements, agent replies) as raw RFC 5322 bytes, so
 * the client's mail program threads them: Message-ID, In-Reply-To, References and
 * the `[#number-token]` reply tag in the subject (the token is what lets an answer join
 * the incident; a bare number can be guessed, see mail.intake.ts `thread`). ISO-2022-JP (what many Japanese companies'
 * mail systems still expect) or UTF-8. nodemailer has no ISO-2022-JP encoder, so
 * both are built here the same way and handed to nodemailer as `raw`.
 * ISO-2022-JP is written with the CP50220 mapping (NEC/IBM extensions such as ①,
 * ㈱, 髙 survive); text that JIS cannot carry (e.g. emoji) goes out as UTF-8.
 */
// encoding-japanese is what mailparser/libmime use to decode Japanese mail; it is
// installed with them (package-lock), and the same table must encode what it decodes.
import crypto from 'node:crypto';
import Encoding from 'encoding-japanese';

export type MailCharset = 'utf-8' | 'iso-2022-jp';

export interface OutboundMail {
  to: string;
  subject: string;
  text: string;
  /** Without angle brackets. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  /** Sets Auto-Submitted: auto-replied (acknowledgements), so other robots stay quiet. */
  automatic: boolean;
}

function toJis(s: string): Buffer | null {
  const bytes = Buffer.from(Encoding.convert(Encoding.stringToCode(s), { to: 'JIS', from: 'UNICODE' }));
  const back = Encoding.codeToString(Encoding.convert(bytes, { to: 'UNICODE', from: 'JIS' }));
  return back === s ? bytes : null;
}

// eslint-disable-next-line no-control-regex
const ascii = (s: string) => /^[\x00-\x7f]*$/.test(s);

/** RFC 2047 encoded-words, split so that no word cuts a character and lines stay short. */
function encodeWords(s: string, charset: MailCharset): string {
  if (ascii(s)) return s;
  const chunks: string[] = [];
  let cur = '';
  for (const ch of s) {
    if ([...cur].length >= (charset === 'utf-8' ? 12 : 14)) {
      chunks.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) chunks.push(cur);
  const label = charset === 'utf-8' ? 'UTF-8' : 'ISO-2022-JP';
  return chunks
    .map((c) => `=?${label}?B?${(charset === 'utf-8' ? Buffer.from(c, 'utf8') : toJis(c)!).toString('base64')}?=`)
    .join('\r\n ');
}

function formatAddress(spec: string, charset: MailCharset): string {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(spec);
  if (!m) return spec.trim();
  const name = m[1]!.trim();
  if (!name) return `<${m[2]}>`;
  return `${ascii(name) ? `"${name.replace(/"/g, '')}"` : encodeWords(name, charset)} <${m[2]}>`;
}

// 32 symbols without 0/1/l/o (read aloud or retyped from paper without mistakes): 5 bits each.
const TOKEN_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A new reply token: 10 random symbols (50 bits), so guessing one is hopeless at mail speed. */
export function newReplyToken(): string {
  return [...crypto.randomBytes(10)].map((b) => TOKEN_ALPHABET[b & 31]).join('');
}

/** `[#50-k3f9x2q7ab]`: what our subjects carry and `subjectTags` reads back. */
export function replyTag(number: number, token: string): string {
  return `[#${number}-${token}]`;
}

export function addressOf(spec: string): string {
  return (/<([^>]+)>/.exec(spec)?.[1] ?? spec).trim().toLowerCase();
}

/** The domain for our Message-IDs. */
export function messageIdDomain(from: string): string {
  return addressOf(from).split('@')[1] || 'hoshu.invalid';
}

export function composeRaw(m: OutboundMail, o: { from: string; charset: MailCharset; now: number }): Buffer {
  const body = m.text.replace(/\r?\n/g, '\r\n').replace(/\s*$/, '\r\n');
  let charset = o.charset;
  let encodedBody: Buffer | null = null;
  if (charset === 'iso-2022-jp') {
    encodedBody = toJis(body);
    if (!encodedBody || !toJis(m.subject) || !toJis(o.from)) charset = 'utf-8';
  }
  const headers = [
    `From: ${formatAddress(o.from, charset)}`,
    `To: ${m.to}`,
    `Subject: ${encodeWords(m.subject, charset)}`,
    `Date: ${new Date(o.now).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${m.messageId}>`,
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...(m.references.length ? [`References: ${m.references.map((r) => `<${r}>`).join('\r\n ')}`] : []),
    ...(m.automatic ? ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All'] : []),
    'MIME-Version: 1.0',
    charset === 'utf-8' ? 'Content-Type: text/plain; charset=UTF-8' : 'Content-Type: text/plain; charset=ISO-2022-JP',
    charset === 'utf-8' ? 'Content-Transfer-Encoding: base64' : 'Content-Transfer-Encoding: 7bit',
  ];
  const payload = charset === 'utf-8'
    ? Buffer.from(Buffer.from(body, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n') + '\r\n')
    : encodedBody!;
  return Buffer.concat([Buffer.from(headers.join('\r\n') + '\r\n\r\n', 'utf8'), payload]);
}
