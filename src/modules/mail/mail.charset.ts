/**
 * What mailparser alone reads wrong in mail that real Japanese offices send, repaired
 * on the raw bytes BEFORE mailparser sees them (so everything mailparser gets right
 * stays its own work, and a message that needs nothing comes back byte for byte):
 *
 * - a text part labelled ISO-2022-JP (a 7-bit charset) whose bytes are 8-bit
 *   Shift_JIS/CP932, EUC-JP or UTF-8; a part with no label (or us-ascii) whose bytes
 *   are 8-bit CP932 (old Windows tools write no MIME headers at all); a part labelled
 *   UTF-8, Shift_JIS or EUC-JP whose bytes do not fit that label. The label is trusted
 *   only when the bytes fit it; otherwise the encoding is detected (encoding-japanese)
 *   and the part is re-written as UTF-8. Labels we cannot judge (ISO-8859-x,
 *   windows-125x, GB2312, Big5, …) are always trusted.
 * - raw 8-bit CP932/EUC-JP in a header block (Subject, From, file names): those lines
 *   are re-written as UTF-8, which mailparser reads from 8-bit headers (RFC 6532).
 * - encoded words labelled ISO-2022-JP that carry 8-bit bytes (`=?ISO-2022-JP?B?` over
 *   Shift_JIS): re-written as UTF-8 encoded words.
 * - a delivery-status report (multipart/report, RFC 6522): only its first part is the
 *   human-readable body; the machine-readable parts after it become attachments.
 * Attachments are never touched (their bytes and checksums stay as received).
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mailsplit from '@zone-eu/mailsplit';
import Encoding from 'encoding-japanese';

type MimeNode = InstanceType<typeof mailsplit.MimeNode>;
type Detected = 'utf-8' | 'shift_jis' | 'euc-jp';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function has8bit(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return true;
  return false;
}

function isUtf8(b: Uint8Array): boolean {
  try {
    strictUtf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

function decodeAs(enc: Detected, b: Uint8Array): string {
  if (enc === 'utf-8') return strictUtf8.decode(b);
  // encoding-japanese reads SJIS as CP932 (NEC and IBM extensions: ①, ㈱, 髙 at 0xFBFC or 0xEEE0).
  return Encoding.codeToString(Encoding.convert(b, { to: 'UNICODE', from: enc === 'shift_jis' ? 'SJIS' : 'EUCJP' }));
}

/** Characters that a wrong Japanese reading produces and real text rarely has. */
function oddness(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0xff61 && c <= 0xff9f) || (c >= 0xe000 && c <= 0xf8ff) || (c >= 0x80 && c <= 0x9f) || c === 0xfffd) n++;
  }
  return n;
}

/**
 * The Japanese encoding 8-bit bytes are in, or null when none fits. UTF-8 first (its
 * structure almost never occurs by chance); EUC-JP bytes are mostly also valid Shift_JIS
 * (as half-width katakana), so when both fit the reading with fewer odd characters wins.
 */
export function detectJapanese(b: Uint8Array): Detected | null {
  if (isUtf8(b)) return 'utf-8';
  const sjis = Encoding.detect(b, 'SJIS') !== false;
  const euc = Encoding.detect(b, 'EUCJP') !== false;
  if (sjis && euc) return oddness(decodeAs('shift_jis', b)) < oddness(decodeAs('euc-jp', b)) ? 'shift_jis' : 'euc-jp';
  return sjis ? 'shift_jis' : euc ? 'euc-jp' : null;
}

const SEVEN_BIT = /^(iso2022jp(1|2|3|2004)?|csiso2022jp2?|jis|xjis)$/;
const NO_LABEL = /^(|usascii|ascii|ansix341968|7bit)$/;
const SJIS = /^(shiftjis|sjis|xsjis|csshiftjis|mskanji|cp932|windows31j|ms932|xmscp932|ibm943)$/;
const EUC = /^(eucjp|xeucjp|cseucpkdfmtjapanese)$/;

/**
 * Whether bytes fit their label. A missing or ASCII label also "fits" valid UTF-8,
 * which mailparser already reads as UTF-8; ISO-2022-JP never fits an 8-bit byte.
 * Labels this module cannot judge fit by definition.
 */
export function labelFits(label: string | false | null | undefined, b: Uint8Array): boolean {
  const l = (label || '').toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!has8bit(b)) return true;
  if (NO_LABEL.test(l)) return isUtf8(b);
  if (SEVEN_BIT.test(l)) return false;
  if (l === 'utf8') return isUtf8(b);
  if (SJIS.test(l)) return Encoding.detect(b, 'SJIS') !== false;
  if (EUC.test(l)) return Encoding.detect(b, 'EUCJP') !== false;
  return true;
}

/** The text of bytes whose label does not fit them, read in the encoding they fit; null when the label stands (or nothing fits). */
export function relabelled(label: string | false | null | undefined, b: Uint8Array): string | null {
  if (labelFits(label, b)) return null;
  const enc = detectJapanese(b);
  return enc ? decodeAs(enc, b) : null;
}

function transferDecode(encoding: string | false, body: Buffer): Buffer {
  if (encoding === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    const s = body.toString('latin1').replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
    return Buffer.from(s.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  }
  return body;
}

const base64Lines = (b: Buffer) => Buffer.from(b.toString('base64').replace(/.{76}/g, '$&\r\n').replace(/(\r\n)?$/, '\r\n'), 'latin1');

/** Runs of encoded words (RFC 2047) labelled with a 7-bit Japanese charset whose bytes are 8-bit → one UTF-8 word. */
function fixEncodedWords(line: string): string {
  const word = /=\?([^?*\s]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;
  const run = new RegExp(`${word.source}(?:[ \\t]*(?:\\r?\\n)?[ \\t]+${word.source})*`, 'g');
  return line.replace(run, (whole) => {
    const words = [...whole.matchAll(word)];
    if (!words.every((w) => SEVEN_BIT.test(w[1]!.toLowerCase().replace(/[^a-z0-9]/g, '')))) return whole;
    const bytes = Buffer.concat(words.map((w) => w[2]!.toLowerCase() === 'b'
      ? Buffer.from(w[3]!, 'base64')
      : Buffer.from(w[3]!.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1')));
    const text = relabelled(words[0]![1], bytes);
    return text === null ? whole : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
  });
}

/** A header block with raw 8-bit fields in a Japanese legacy encoding, or mislabelled encoded words → fixed; null when nothing to do. */
function fixHeaderBlock(raw: Buffer): Buffer | null {
  // Whole fields (a line and its folded continuations): encoded words of one run may sit on several lines.
  const fields: Buffer[] = [];
  for (let start = 0; start < raw.length;) {
    let end = start;
    do {
      const nl = raw.indexOf(0x0a, end);
      end = nl < 0 ? raw.length : nl + 1;
    } while (end < raw.length && (raw[end] === 0x20 || raw[end] === 0x09));
    fields.push(raw.subarray(start, end));
    start = end;
  }
  const foreign = fields.filter((f) => has8bit(f) && !isUtf8(f));
  const enc = foreign.length ? detectJapanese(Buffer.concat(foreign)) : null;
  let changed = false;
  const out = fields.map((f) => {
    if (has8bit(f)) {
      if (!enc || isUtf8(f)) return f;
      changed = true;
      return Buffer.from(decodeAs(enc, f), 'utf8');
    }
    const s = f.toString('latin1');
    if (!s.includes('=?')) return f;
    const fixed = fixEncodedWords(s);
    if (fixed === s) return f;
    changed = true;
    return Buffer.from(fixed, 'latin1');
  });
  return changed ? Buffer.concat(out) : null;
}

const isText = (node: MimeNode) =>
  !node.multipart && (node.contentType === 'text/plain' || node.contentType === 'text/html') && (!node.disposition || node.disposition === 'inline');

class Repair extends Transform {
  changed = false;
  private pending: { node: MimeNode; chunks: Buffer[] } | null = null;
  private childrenSeen = new Map<MimeNode, number>();

  constructor() {
    super({ objectMode: true });
  }

  override _transform(obj: { type: string; node?: MimeNode; value?: Buffer }, _enc: BufferEncoding, cb: TransformCallback): void {
    if (obj.type === 'body' && this.pending && obj.node === this.pending.node) {
      this.pending.chunks.push(obj.value!);
      return cb();
    }
    this.settle();
    if (obj.type === 'node') {
      const node = obj as unknown as MimeNode;
      this.headers(node);
      this.report(node);
      if (isText(node)) {
        this.pending = { node, chunks: [] };
        return cb();
      }
    }
    this.push(obj);
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.settle();
    cb();
  }

  private headers(node: MimeNode): void {
    const h = node.headers;
    if (!h || !h.headers) return;
    const raw = typeof h.headers === 'string' ? Buffer.from(h.headers, 'binary') : h.headers;
    const fixed = fixHeaderBlock(raw);
    if (!fixed) return;
    node.headers = new mailsplit.Headers(fixed, node.config);
    this.changed = true;
  }

  /** RFC 6522: the first part of a multipart/report is for people; what follows is for machines. */
  private report(node: MimeNode): void {
    const parent = node.parentNode as MimeNode | false;
    if (!parent || parent.multipart !== 'report') return;
    const n = (this.childrenSeen.get(parent) ?? 0) + 1;
    this.childrenSeen.set(parent, n);
    if (n === 1 || node.disposition === 'attachment' || !node.headers) return;
    node.headers.update('Content-Disposition', 'attachment');
    node.disposition = 'attachment';
    this.changed = true;
  }

  /** The collected text part: as received when its label fits, else re-written as UTF-8. */
  private settle(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const { node, chunks } = p;
    const text = relabelled(node.charset, transferDecode(node.encoding, Buffer.concat(chunks)));
    if (text === null || !node.headers) {
      this.push(node);
      for (const value of chunks) this.push({ node, type: 'body', value });
      return;
    }
    node.setCharset('utf-8');
    node.headers.update('Content-Transfer-Encoding', 'base64');
    this.push(node);
    this.push({ node, type: 'body', value: base64Lines(Buffer.from(text, 'utf8')) });
    this.changed = true;
  }
}

/**
 * Whether `repairJapanese` can change anything: only 8-bit bytes, encoded bodies
 * (base64/quoted-printable may hide 8-bit bytes), encoded words or a report need a look.
 * Pure 7-bit mail with plain bodies (most ISO-2022-JP mail) skips the second pass.
 */
function mayNeedRepair(raw: Buffer): boolean {
  if (has8bit(raw)) return true;
  const s = raw.toString('latin1');
  return /base64|quoted-printable|multipart\/report|=\?(iso-2022-jp|csiso2022jp|jis)/i.test(s);
}

/** The message with the repairs above applied; the same Buffer when none applies. */
export async function repairJapanese(raw: Buffer): Promise<Buffer> {
  if (!mayNeedRepair(raw)) return raw;
  const repair = new Repair();
  const joiner = new mailsplit.Joiner();
  const out: Buffer[] = [];
  joiner.on('data', (chunk: Buffer) => out.push(chunk));
  try {
    await pipeline(Readable.from([raw]), new mailsplit.Splitter(), repair, joiner);
  } catch {
    // A message the splitter cannot walk is mailparser's to judge, as received.
    return raw;
  }
  return repair.changed ? Buffer.concat(out) : raw;
}
