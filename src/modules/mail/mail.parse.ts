/**
 * Raw message → what the desk needs, with mailparser: UTF-8, ISO-2022-JP incl. the
 * Microsoft superset (CP50220: ①, ㈱, 髙 via encoding-japanese), Shift_JIS,
 * EUC-JP, quoted-printable/base64 bodies, RFC 2047 headers, RFC 2231 filenames,
 * HTML-only mail (text extracted, HTML kept for sandboxed display). What mailparser
 * alone reads wrong (mislabelled or unlabelled CP932/EUC-JP/UTF-8, raw 8-bit headers,
 * the machine-readable parts of a delivery report) is repaired first (mail.charset.ts).
 * Also decides whether a message is automatic (auto-reply, bounce, bulk): those
 * never create incidents or replies.
 */
import crypto from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import { repairJapanese } from './mail.charset.ts';

export interface MailAttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
  /** SHA-256 hex of the decoded content. */
  checksum: string;
  /** Position among the message's attachments (for download). */
  index: number;
}

export interface ParsedMessage {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: { address: string | null; name: string | null };
  /** To, Cc, Delivered-To, X-Original-To addresses, lower-cased. */
  recipients: string[];
  subject: string;
  text: string;
  html: string | null;
  /** Date header, epoch ms. */
  date: number | null;
  attachments: MailAttachmentInfo[];
  /** Why this is automatic mail (auto-reply, bounce, bulk); null for a person's mail. */
  automatic: string | null;
  /** Every Authentication-Results header, topmost first, unfolded (whose they are is decided by `authenticationVerdict`). */
  authenticationResults: string[];
}

export class UnparseableMailError extends Error {}

/** `<a@b>` → `a@b`; several ids in one header → each. */
export function messageIds(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const found = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (found.length) return found;
  return text.split(/\s+/).map((s) => s.trim()).filter((s) => s.includes('@'));
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.flatMap((v) => [v.address, ...(v.group ?? []).map((g) => g.address)]))
    .filter((x): x is string => !!x)
    .map((x) => x.toLowerCase());

/** Raw header value by name (first occurrence), unfolded. */
function headerLine(parsed: ParsedMail, name: string): string | null {
  const l = parsed.headerLines.find((h) => h.key === name);
  if (!l) return null;
  return l.line.slice(l.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

/**
 * RFC 3834 and common practice: Auto-Submitted other than "no", Precedence
 * bulk/junk/list, X-Autoreply/X-Autorespond, a null return path, delivery reports.
 */
export function automaticReason(parsed: ParsedMail, envelopeFrom?: string | null): string | null {
  const auto = headerLine(parsed, 'auto-submitted');
  if (auto && auto.toLowerCase() !== 'no') return `Auto-Submitted: ${auto}`;
  const precedence = headerLine(parsed, 'precedence');
  if (precedence && /^(bulk|junk|list|auto_reply)$/i.test(precedence)) return `Precedence: ${precedence}`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const v = headerLine(parsed, h);
    if (v !== null && v.toLowerCase() !== 'no') return `${h}: ${v}`;
  }
  const returnPath = headerLine(parsed, 'return-path');
  if (returnPath !== null && /^<\s*>$/.test(returnPath)) return 'null return path';
  if (envelopeFrom === '') return 'null envelope sender';
  const ct = headerLine(parsed, 'content-type');
  if (ct && /multipart\/report/i.test(ct) && /report-type\s*=\s*"?(delivery-status|disposition-notification)/i.test(ct)) return 'delivery report';
  const from = parsed.from?.value[0]?.address?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster)@/.test(from)) return `from ${from}`;
  return null;
}

/**
 * mailparser over the repaired bytes; parseMessage and attachmentContent both read through
 * this, so attachment positions agree. keepDeliveryStatus: a message/delivery-status part
 * is an attachment, not text appended to the body.
 */
async function read(raw: Buffer): Promise<ParsedMail> {
  // Loaded with the first message read (module cache after): most processes never parse mail.
  const { simpleParser } = await import('mailparser');
  return simpleParser(await repairJapanese(raw), { skipImageLinks: true, skipTextLinks: true, keepCidLinks: true, keepDeliveryStatus: true });
}

export async function parseMessage(raw: Buffer, envelopeFrom?: string | null): Promise<ParsedMessage> {
  let parsed: ParsedMail;
  try {
    parsed = await read(raw);
  } catch (e) {
    throw new UnparseableMailError(`cannot parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  // mailparser accepts anything; without a single header it is not a message.
  if (parsed.headerLines.length === 0 || !/^[\x21-\x39\x3b-\x7e]+:/.test(raw.subarray(0, 200).toString('latin1'))) {
    throw new UnparseableMailError('no header section');
  }
  const from = parsed.from?.value[0];
  const delivered = ['delivered-to', 'x-original-to']
    .flatMap((k) => parsed.headerLines.filter((h) => h.key === k))
    .map((h) => h.line.slice(h.line.indexOf(':') + 1).trim().replace(/^<|>$/g, '').toLowerCase());
  const html = typeof parsed.html === 'string' && parsed.html.trim() ? parsed.html : null;
  const text = (parsed.text ?? '').replace(/\r\n/g, '\n').replace(/\s+$/, '');
  return {
    messageId: messageIds(parsed.messageId)[0] ?? null,
    inReplyTo: messageIds(parsed.inReplyTo),
    references: messageIds(parsed.references),
    from: { address: from?.address?.toLowerCase() || null, name: from?.name?.trim() || null },
    recipients: [...new Set([...addresses(parsed.to), ...addresses(parsed.cc), ...delivered])],
    subject: (parsed.subject ?? '').trim(),
    text,
    html,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.getTime() : null,
    attachments: parsed.attachments
      .filter((a) => a.contentDisposition === 'attachment' || !!a.filename)
      .map((a, index) => ({
        filename: a.filename ?? `attachment-${index + 1}`,
        contentType: a.contentType,
        size: a.size,
        checksum: crypto.createHash('sha256').update(a.content).digest('hex'),
        index,
      })),
    automatic: automaticReason(parsed, envelopeFrom),
    authenticationResults: parsed.headerLines.filter((h) => h.key === 'authentication-results')
      .map((h) => h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim()),
  };
}

export interface AuthVerdict {
  /** The authserv-id of the header(s) read: our own MX's. */
  by: string;
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  /** fail: DMARC failed, or without DMARC, SPF or DKIM failed and nothing passed. */
  verdict: 'pass' | 'fail' | 'none';
}

/**
 * The SPF/DKIM/DMARC verdict of our own MX (RFC 8601), or null when it added no
 * Authentication-Results (or no authserv-id is configured). Headers naming any other
 * authserv-id are ignored: anyone can write them. Our MX should remove incoming headers
 * that claim its id; should one slip through, a "fail" in any of ours wins over a "pass",
 * so a header the sender wrote can never turn our fail into a pass.
 */
export function authenticationVerdict(headers: readonly string[], authservId: string | null | undefined): AuthVerdict | null {
  const id = authservId?.trim().toLowerCase();
  if (!id) return null;
  const found: Record<'spf' | 'dkim' | 'dmarc', string[]> = { spf: [], dkim: [], dmarc: [] };
  let ours = false;
  for (const h of headers) {
    const [head, ...resinfo] = h.replace(/\([^()]*\)/g, ' ').split(';');
    if (head?.trim().split(/\s+/)[0]?.toLowerCase() !== id) continue;
    ours = true;
    for (const r of resinfo) {
      const m = /^\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)/i.exec(r);
      if (m) found[m[1]!.toLowerCase() as 'spf' | 'dkim' | 'dmarc'].push(m[2]!.toLowerCase());
    }
  }
  if (!ours) return null;
  const failWins = (xs: string[]) => (xs.includes('fail') ? 'fail' : xs.includes('pass') ? 'pass' : (xs[0] ?? null));
  // Several DKIM signatures: one that passes is enough (a list may break another); DMARC judges alignment.
  const dkim = found.dkim.includes('pass') ? 'pass' : failWins(found.dkim);
  const spf = failWins(found.spf);
  const dmarc = failWins(found.dmarc);
  let verdict: AuthVerdict['verdict'] = 'none';
  if (dmarc === 'fail' || dmarc === 'pass') verdict = dmarc;
  else if (spf === 'pass' || dkim === 'pass') verdict = 'pass';
  else if (spf === 'fail' || dkim === 'fail') verdict = 'fail';
  return { by: id, spf, dkim, dmarc, verdict };
}

/** The content of attachment `index` (as listed by parseMessage), re-read from the raw source. */
export async function attachmentContent(raw: Buffer, index: number): Promise<{ filename: string; contentType: string; content: Buffer } | null> {
  const parsed = await read(raw);
  const a = parsed.attachments.filter((x) => x.contentDisposition === 'attachment' || !!x.filename)[index];
  return a ? { filename: a.filename ?? `attachment-${index + 1}`, contentType: a.contentType, content: a.content } : null;
}

/** Every `[#123]` or `[#123-token]` (also `[Hoshu #123-token]`) in a subject, in order; tokens lower-cased. */
export function subjectTags(subject: string): { number: number; token: string | null }[] {
  return [...subject.matchAll(/\[(?:[^\]#]*\s)?#(\d{1,9})(?:-([A-Za-z0-9]{4,32}))?\]/g)]
    .map((m) => ({ number: Number(m[1]), token: m[2]?.toLowerCase() ?? null }));
}

/** The number of the first `[#123]` / `[#123-token]` in a subject. */
export function subjectToken(subject: string): number | null {
  return subjectTags(subject)[0]?.number ?? null;
}
