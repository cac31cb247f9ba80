/**
 * The one way a webhook leaves the desk: a POST over undici (kept-alive pools) with
 * - https only, unless the endpoint's admin flag allows http (loopback testing);
 * - no redirect followed (a 3xx is a failed attempt);
 * - the address checked AFTER name resolution (custom `lookup`, so DNS rebinding
 *   between a check and the connect cannot slip through) against everything that is
 *   not public unicast — private, loopback, link-local, CGNAT, multicast, reserved,
 *   IPv4-mapped forms included (ipaddr.js ranges) — unless the same flag allows it;
 * - a 10 s limit on the whole exchange; the response body read up to a bound, kept as
 *   a short excerpt; the signature headers never logged (nothing here logs).
 */
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Agent } from 'undici';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const READ_LIMIT = 16 * 1024;
const EXCERPT_CHARS = 1000;

export interface SendResult {
  status: number | null;
  durationMs: number;
  /** Network error, timeout, refusal; null when an HTTP answer came. */
  error: string | null;
  /** The first characters of the answer's body. */
  excerpt: string | null;
  /** From Retry-After (429, 503), ms. */
  retryAfterMs: number | null;
  /** Refused before sending (scheme, address): retrying cannot help. */
  refused: boolean;
}

export class RefusedAddressError extends Error {
  constructor(readonly reason: 'scheme' | 'url' | 'private' | 'credentials', readonly address = '') {
    super(reason === 'private' ? `refused address ${address} (not public)` : `refused URL (${reason})`);
    this.name = 'RefusedAddressError';
  }
}

/** True for public unicast addresses only. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let a = ipaddr.parse(address);
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  return a.range() === 'unicast';
}

/** The URL's shape as an endpoint may have it (the address itself is checked on every connect). */
export function checkUrl(raw: string, allowInsecure: boolean): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new RefusedAddressError('url');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && allowInsecure)) throw new RefusedAddressError('scheme');
  if (u.username || u.password) throw new RefusedAddressError('credentials');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!allowInsecure && net.isIP(host) && !isPublicAddress(host)) throw new RefusedAddressError('private', host);
  return u;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that refuses non-public answers. */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad || list.length === 0) return callback(new RefusedAddressError('private', bad?.address ?? hostname) as NodeJS.ErrnoException, '');
    if (options.all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

/**
 * undici agents (one pool of kept-alive connections per origin inside each): a busy endpoint
 * sends over connections already open instead of one handshake per request, and undici's
 * client costs a fraction of node:http's per request. The guarded agent resolves every new
 * connection's name through `guardedLookup` and connects to the address it checked, so a
 * pooled connection only ever leads to an address that was public when it was opened.
 * undici's request() follows no redirect (that is an opt-in interceptor).
 */
const POOL = { keepAliveTimeout: 30_000, connections: 64, pipelining: 1, connect: { timeout: WEBHOOK_TIMEOUT_MS } };
// Made on the first delivery: undici costs every process that never sends one its load time.
let agents: Promise<{ guarded: Agent; open: Agent }> | undefined;
const agentsOnce = () => (agents ??= import('undici').then(({ Agent: A }) => ({
  guarded: new A({ ...POOL, connect: { ...POOL.connect, lookup: guardedLookup } }),
  open: new A(POOL),
})));

function retryAfter(value: string | string[] | undefined, now: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface SendOptions {
  allowInsecure: boolean;
  timeoutMs?: number;
}

const refusal = (e: unknown): RefusedAddressError | null => {
  for (let c = e; c instanceof Error; c = c.cause) if (c instanceof RefusedAddressError) return c;
  return null;
};

export async function postWebhook(url: string, headers: Record<string, string>, body: string, o: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, 'durationMs'>): SendResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  let u: URL;
  try {
    u = checkUrl(url, o.allowInsecure);
  } catch (e) {
    return done({ status: null, error: (e as Error).message, excerpt: null, retryAfterMs: null, refused: true });
  }
  const timeoutMs = o.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  // One bound on the whole exchange (connect, answer and body), as the issue asks.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const pools = await agentsOnce();
    const res = await (o.allowInsecure ? pools.open : pools.guarded).request({
      origin: u.origin, path: `${u.pathname}${u.search}`, method: 'POST', signal,
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Hoshu-Webhooks/1' },
      body,
    });
    const status = res.statusCode;
    const ra = retryAfter(res.headers['retry-after'], Date.now());
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body as AsyncIterable<Buffer>) {
      chunks.push(c);
      size += c.length;
      // Enough read: the rest of a large answer is not wanted (the connection is not reused then).
      if (size >= READ_LIMIT) {
        res.body.destroy();
        break;
      }
    }
    const text = Buffer.concat(chunks).subarray(0, READ_LIMIT).toString('utf8').slice(0, EXCERPT_CHARS);
    const location = res.headers.location;
    return done({
      status, error: status >= 300 && status < 400 ? `redirect to ${String(Array.isArray(location) ? location[0] : location ?? '?').slice(0, 300)} not followed` : null,
      excerpt: text || null, retryAfterMs: ra, refused: false,
    });
  } catch (e) {
    const refused = refusal(e);
    const message = signal.aborted ? `timed out after ${timeoutMs} ms` : (refused ?? (e as Error)).message;
    return done({ status: null, error: message.slice(0, 500), excerpt: null, retryAfterMs: null, refused: refused !== null });
  }
}
