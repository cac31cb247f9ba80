/**
 * The HTTP edge: security headers on every answer (CSP, frame protection, HSTS only
 * over https from a trusted proxy), no public token in the request log, a client that
 * trickles its request is cut off, and the errors raised before any route runs (a URL
 * that does not decode, headers too large, too slow) answer in the API's
 * `{ code, message, issues }` shape — the last three over a real socket.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { API_CSP, APP_CSP, redactUrlSecrets } from '../../src/http/edge.ts';
import { listeningOn } from '../../src/main.ts';
import { useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, tokenCaller, type Caller } from './helpers.ts';

interface RawAnswer { status: number; headers: Record<string, string>; body: string; closedAfterMs: number }

/** Opens a socket, lets `drive` write to it, and reads everything the server sends until it closes. */
function rawExchange(port: number, drive: (s: net.Socket) => void): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (d) => chunks.push(d));
    s.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e); });
    s.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body, closedAfterMs: Date.now() - started });
    });
    s.on('connect', () => drive(s));
  });
}

/** Writes `text` one byte every `everyMs` until the socket closes. */
function trickle(s: net.Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (s.destroyed || i >= text.length) return clearInterval(timer);
    s.write(text[i++]!);
  }, everyMs);
  s.on('close', () => clearInterval(timer));
}

describe('the HTTP edge', () => {
  const t = useTestDb('sqlite');
  const clock = fixedClock();
  let app: FastifyInstance;
  let agent: Caller;
  let port: number;
  const logLines: string[] = [];
  beforeAll(async () => {
    app = await makeApp(t.db, clock, {
      trustProxy: ['127.0.0.1'],
      timeouts: { requestMs: 1200, headersMs: 1200 },
      logger: { level: 'info', stream: { write: (line: string) => void logLines.push(line) } },
    });
    agent = await tokenCaller(t.db, 'agent');
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => app?.close());

  it('every API answer forbids framing and loading anything; the web app gets its own policy', async () => {
    for (const url of ['/api/v1/incidents', '/api/v1/no-such-thing', '/api/v1/health']) {
      const r = await call(app, agent, { method: 'GET', url });
      expect(r.headers['content-security-policy'], url).toBe(API_CSP);
      expect(r.headers['x-frame-options'], url).toBe('DENY');
    }
    // The page (or, without a web build, its 404) carries the app's policy.
    const page = await app.inject({ method: 'GET', url: '/incidents/0190a6e0-0000-7000-8000-000000000000' });
    expect(page.headers['content-security-policy']).toBe(APP_CSP);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(page.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe/);
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('sends HSTS only for a request that came over https through our proxy, never on plain http', async () => {
    const viaProxy = await app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-proto': 'https' } });
    expect(viaProxy.headers['strict-transport-security']).toBe('max-age=31536000');
    const plain = await app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: '127.0.0.1' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    // A client reaching us directly cannot claim https.
    const forged = await app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: '203.0.113.7', headers: { 'x-forwarded-proto': 'https' } });
    expect(forged.headers['strict-transport-security']).toBeUndefined();
  });

  it('never writes a public status page or ICS token to the request log', async () => {
    const secret = 'Zq7pK2mXv9sLw4Rt8nYb3cFh6jDg1aEu5oIiWxQe0T';
    logLines.length = 0;
    await app.inject({ method: 'GET', url: `/api/v1/public/${secret}/status?lang=en` });
    await app.inject({ method: 'GET', url: `/api/v1/public/${secret}/maintenance.ics` });
    await app.inject({ method: 'GET', url: `/api/v1/public/${secret}%E0%A4%A/status` }); // does not even decode
    await app.inject({ method: 'GET', url: `/api/v1/incidents?token=${secret}` });
    const urls = logLines.map((l) => JSON.parse(l) as { req?: { url: string } }).flatMap((l) => (l.req ? [l.req.url] : []));
    expect(urls).toEqual([
      '/api/v1/public/[redacted]/status?lang=en',
      '/api/v1/public/[redacted]/maintenance.ics',
      '/api/v1/public/[redacted]/status',
      '/api/v1/incidents?token=[redacted]',
    ]);
    expect(logLines.join('\n')).not.toContain(secret.slice(0, 12));
    expect(redactUrlSecrets('/api/v1/incidents?status=open&limit=5')).toBe('/api/v1/incidents?status=open&limit=5');
  });

  it('answers a path that does not percent-decode with request.bad_url in the error shape, in the reader\'s language', async () => {
    const en = await call(app, agent, { method: 'GET', url: '/api/v1/incidents/%E0%A4%A', headers: { 'accept-language': 'en' } });
    expect(en.statusCode).toBe(400);
    expect(en.json()).toEqual({ code: 'request.bad_url', message: 'The address (URL) is not valid: check its percent-encoding (%XX).', issues: [] });
    expect(en.headers['content-security-policy']).toBe(API_CSP);
    const ja = await call(app, agent, { method: 'GET', url: '/api/v1/incidents/%E0%A4%A' });
    expect(ja.json()).toMatchObject({ code: 'request.bad_url', issues: [] });
    expect(ja.json().message).toMatch(/URL/);
    // The web app's wildcard route too.
    expect((await app.inject({ method: 'GET', url: '/incidents/%ZZ' })).json()).toMatchObject({ code: 'request.bad_url' });
  });

  it('answers headers over the size limit with 431 request.headers_too_large in the error shape', async () => {
    const r = await rawExchange(port, (s) => s.write(
      `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nCookie: big=${'x'.repeat(20_000)}\r\n\r\n`,
    ));
    expect(r.status).toBe(431);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body)).toEqual({ code: 'request.headers_too_large', message: 'The request headers are too large (often too many or too large cookies).', issues: [] });
  });

  it('cuts off a client that trickles its body with 408 request.timeout and closes the connection', async () => {
    const body = JSON.stringify({ title: 'x'.repeat(500) });
    const r = await rawExchange(port, (s) => {
      s.write(`POST /api/v1/incidents HTTP/1.1\r\nHost: x\r\n${agent.headers.authorization ? `Authorization: ${agent.headers.authorization}\r\n` : ''}`
        + `Accept-Language: en\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
      trickle(s, body, 50); // 500+ bytes at 20 bytes/s: half a minute, were it allowed
    });
    expect(r.status).toBe(408);
    expect(JSON.parse(r.body)).toEqual({ code: 'request.timeout', message: 'The request took too long to arrive and was cut off; try again.', issues: [] });
    expect(r.headers.connection).toBe('close');
    // The limit is 1.2 s; Node looks for overdue requests every 300 ms here.
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(1100);
    expect(r.closedAfterMs).toBeLessThan(3000);
  });

  it('cuts off a client that trickles its headers (slowloris) the same way', async () => {
    const r = await rawExchange(port, (s) => trickle(s, `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ${'y'.repeat(200)}\r\n\r\n`, 50));
    expect(r.status).toBe(408);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'request.timeout', issues: [] });
    expect(r.closedAfterMs).toBeLessThan(3000);
  });
});

describe('the listening address', () => {
  it('defaults to loopback; HOSHU_HOST (or the older HOST) opens it deliberately', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOSHU_HOST: '::', HOST: '0.0.0.0' }).host).toBe('::');
  });

  it('is logged as bound, a wildcard named as every interface', () => {
    expect(listeningOn([{ address: '0.0.0.0', family: 'IPv4', port: 8080 }])).toEqual(['http://0.0.0.0:8080 (every IPv4 interface)']);
    expect(listeningOn([{ address: '127.0.0.1', family: 'IPv4', port: 8080 }, { address: '::1', family: 'IPv6', port: 8080 }]))
      .toEqual(['http://127.0.0.1:8080', 'http://[::1]:8080']);
  });

  it('gives the server time limits from the environment, with defaults', () => {
    expect(loadConfig({}).http).toEqual({ requestTimeoutMs: 60_000, headersTimeoutMs: 20_000, idleTimeoutMs: 120_000, keepAliveTimeoutMs: 72_000, hstsMaxAge: 31_536_000 });
    expect(loadConfig({ HOSHU_HTTP_REQUEST_TIMEOUT_MS: '5000' }).http).toMatchObject({ requestTimeoutMs: 5000, headersTimeoutMs: 5000 });
  });
});
