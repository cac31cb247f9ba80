/**
 * One health check: HTTP(S) (expected status, keyword present/absent, timeout,
 * latency) or a TCP connect. Failures are retried at once up to `retries` times
 * before the check counts as failed. When the checker itself has no network
 * (no route, network down, name service unavailable) the result is "unknown":
 * it says nothing about the system, and the pure core does not count it.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { CHECK_DOWN, CHECK_UNKNOWN, CHECK_UP, type CheckStatus } from '../../core/availability/index.ts';

export interface CheckTarget {
  kind: string;
  url: string | null;
  host: string | null;
  port: number | null;
  expectedStatus: number | null;
  keyword: string | null;
  keywordMode: string | null;
  timeoutMs: number;
  retries: number;
}

export interface CheckOutcome {
  status: CheckStatus;
  latencyMs: number;
  error: string | null;
}

// Keep-alive: at hundreds of checks a second a new TCP (and TLS) handshake per
// check would dominate the cost on both ends.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });

/** Errors that mean "this machine cannot reach the network", not "the system is down". */
const CHECKER_OFFLINE = new Set(['ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENONET']);

export function classifyError(err: unknown): CheckStatus {
  const code = (err as { code?: string } | null)?.code;
  return code !== undefined && CHECKER_OFFLINE.has(code) ? CHECK_UNKNOWN : CHECK_DOWN;
}

function errorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return (e.code ? `${e.code}: ` : '') + (e.message ?? String(err));
}

function httpOnce(t: CheckTarget): Promise<CheckOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: CheckStatus, error: string | null) => {
      if (done) return;
      done = true;
      resolve({ status, latencyMs: Math.round(performance.now() - started), error });
    };
    let url: URL;
    try {
      url = new URL(t.url ?? '');
    } catch {
      finish(CHECK_DOWN, 'invalid URL');
      return;
    }
    const secure = url.protocol === 'https:';
    const req = (secure ? https : http).request(url, {
      method: 'GET',
      agent: secure ? httpsAgent : httpAgent,
      headers: { 'user-agent': 'Hoshu-monitor/1', accept: '*/*' },
    }, (res) => {
      const code = res.statusCode ?? 0;
      const statusOk = t.expectedStatus !== null ? code === t.expectedStatus : code >= 200 && code < 400;
      if (!t.keyword) {
        res.resume();
        res.on('end', () => finish(statusOk ? CHECK_UP : CHECK_DOWN, statusOk ? null : `HTTP ${code}`));
        res.on('error', (e) => finish(classifyError(e), errorText(e)));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        // A keyword is looked for in the first MiB; a health page is small.
        if (size < 1 << 20) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        const found = Buffer.concat(chunks).toString('utf8').includes(t.keyword!);
        const want = t.keywordMode !== 'absent';
        if (!statusOk) finish(CHECK_DOWN, `HTTP ${code}`);
        else if (found !== want) finish(CHECK_DOWN, want ? `keyword "${t.keyword}" missing` : `keyword "${t.keyword}" present`);
        else finish(CHECK_UP, null);
      });
      res.on('error', (e) => finish(classifyError(e), errorText(e)));
    });
    req.setTimeout(t.timeoutMs, () => {
      req.destroy(Object.assign(new Error(`timeout after ${t.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (e) => finish(classifyError(e), errorText(e)));
    req.end();
  });
}

function tcpOnce(t: CheckTarget): Promise<CheckOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: t.host ?? '', port: t.port ?? 0 });
    let done = false;
    const finish = (status: CheckStatus, error: string | null) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ status, latencyMs: Math.round(performance.now() - started), error });
    };
    socket.setTimeout(t.timeoutMs, () => finish(CHECK_DOWN, `timeout after ${t.timeoutMs} ms`));
    socket.once('connect', () => finish(CHECK_UP, null));
    socket.once('error', (e) => finish(classifyError(e), errorText(e)));
  });
}

/** Runs the check, retrying a failure up to `retries` more times; the last attempt decides. */
export async function performCheck(t: CheckTarget): Promise<CheckOutcome> {
  let outcome: CheckOutcome = { status: CHECK_DOWN, latencyMs: 0, error: 'not run' };
  for (let attempt = 0; attempt <= t.retries; attempt++) {
    outcome = t.kind === 'tcp' ? await tcpOnce(t) : await httpOnce(t);
    if (outcome.status !== CHECK_DOWN) return outcome;
  }
  return outcome;
}

export { CHECK_DOWN, CHECK_UNKNOWN, CHECK_UP };
