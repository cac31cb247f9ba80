/**
 * The HTTP edge: what every answer carries (Content-Security-Policy, frame
 * protection, HSTS over https), what reaches the request log (no URL secrets),
 * the server's time limits, and the errors raised before a route runs (a URL
 * that does not decode, headers too large, a request too slow to arrive) in the
 * API's `{ code, message, issues }` shape.
 */
import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../contract/errors.ts';
import { AppError } from '../errors.ts';
import { pickLocale } from '../i18n/index.ts';
import { errorBody, errorHandler, statusOf } from './error-handler.ts';

/**
 * The web app's policy. Everything from our own origin; no inline or eval'd script.
 * Styles also inline: Mantine writes its CSS variables into a <style> element and
 * positions menus and popovers with style attributes at run time. `data:` images: the
 * page's empty favicon (`data:,`). Frames from our origin only: the incident page
 * shows a mail's HTML from /api/v1/mail/messages/{id}/html, which carries its own,
 * stricter policy (mail.routes.ts MAIL_HTML_CSP).
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** API answers are data, never a document: nothing loads from them and nobody frames them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export interface EdgeHeaderOptions {
  /** Strict-Transport-Security max-age in seconds on https requests; 0 = none. */
  hstsMaxAge: number;
}

/**
 * The security headers of one answer. A route that sets its own policy (the mail's
 * HTML, an attachment, the public status page) keeps it; a policy without
 * `frame-ancestors` gets `'none'` added, and X-Frame-Options (for browsers without
 * CSP level 2) says DENY unless the route allowed its own origin.
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply, o: EdgeHeaderOptions): void {
  const own = reply.getHeader('content-security-policy');
  if (typeof own === 'string') {
    if (!/(^|;)\s*frame-ancestors\s/.test(own)) void reply.header('content-security-policy', `${own}; frame-ancestors 'none'`);
  } else {
    const path = request.url;
    void reply.header('content-security-policy', path === '/api' || path.startsWith('/api/') || path.startsWith('/api?') ? API_CSP : APP_CSP);
  }
  if (!reply.hasHeader('x-frame-options')) void reply.header('x-frame-options', 'DENY');
  // request.protocol believes X-Forwarded-Proto only from a trusted proxy (HOSHU_TRUST_PROXY), so a
  // client on plain http cannot make us pin https on a host that may not serve it.
  if (o.hstsMaxAge > 0 && request.protocol === 'https') void reply.header('strict-transport-security', `max-age=${o.hstsMaxAge}`);
}

const SECRET_QUERY_NAME = /token|secret|password|key|signature/i;

/**
 * A URL as it may be logged: the public status page's and ICS feed's token
 * (`/api/v1/public/<token>/…`, the only key to those pages) and query values whose
 * name says they are secret are replaced. Works on the raw URL: a path that does not
 * decode is redacted all the same.
 */
export function redactUrlSecrets(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/(\/public\/)[^/]+/gi, '$1[redacted]');
  if (q < 0) return path;
  const query = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    return eq >= 0 && SECRET_QUERY_NAME.test(name) ? `${name}=[redacted]` : pair;
  });
  return `${path}?${query.join('&')}`;
}

/** Fastify's request serializer with the URL's secrets redacted (see redactUrlSecrets). */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrlSecrets(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * Errors the router raises before any route or hook of ours runs (Fastify's
 * `frameworkErrors`): a path that does not percent-decode, a path parameter over
 * the router's length limit. Answered like every other error; no onSend hook runs
 * for these, so the answer gets the API's headers here.
 */
export function makeFrameworkErrors(o: EdgeHeaderOptions) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const code: ErrorCode | null = err.code === 'FST_ERR_BAD_URL' ? 'request.bad_url' : err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'request.url_too_long' : null;
    void reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    setSecurityHeaders(request, reply, o);
    errorHandler(code ? new AppError(code, err.message) : err, request, reply);
  };
}

/** The time limits of the HTTP server, in ms. */
export interface ServerTimeouts {
  /** The whole request, headers and body, must have arrived within this. */
  requestMs: number;
  /** The headers must have arrived within this (≤ requestMs). */
  headersMs: number;
  /** A connection without any traffic is closed after this. */
  idleMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { requestMs: 60_000, headersMs: 20_000, idleMs: 120_000, keepAliveMs: 72_000 };

/** Fastify's options for those limits. */
export function serverTimeoutOptions(t: ServerTimeouts) {
  const headersMs = Math.min(t.headersMs, t.requestMs);
  return {
    requestTimeout: t.requestMs,
    connectionTimeout: t.idleMs,
    keepAliveTimeout: t.keepAliveMs,
    http: {
      requestTimeout: t.requestMs,
      headersTimeout: headersMs,
      // Node looks for overdue requests only this often (30 s by default), so a limit is
      // met to within this interval; a quarter of the headers limit, at most 5 s.
      connectionsCheckingInterval: Math.max(50, Math.min(5000, Math.floor(headersMs / 4))),
    },
  };
}

/** The language of a request whose headers may not have been parsed: from the parsed request, else the raw bytes received. */
function rawLocale(err: { rawPacket?: unknown }, socket: Socket) {
  // Node keeps the response being answered on the socket; its request has the parsed headers
  // when the body, not the headers, was too slow (not part of Node's typed API, so checked).
  const pending = (socket as unknown as { _httpMessage?: { req?: IncomingMessage } })._httpMessage?.req;
  const header = pending?.headers['accept-language'];
  if (typeof header === 'string') return pickLocale(header);
  const raw = err.rawPacket;
  if (Buffer.isBuffer(raw)) {
    const m = /\r\naccept-language:[ \t]*([^\r\n]{0,200})/i.exec(raw.toString('latin1'));
    if (m) return pickLocale(m[1]);
  }
  return pickLocale(undefined);
}

const CLIENT_ERRORS: Record<string, ErrorCode> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'request.timeout',
  HPE_HEADER_OVERFLOW: 'request.headers_too_large',
};

/**
 * Errors of the connection itself, before Fastify has a request (Node's
 * `clientError`): a request that did not arrive within the time limits (408), headers
 * over Node's size limit (431), bytes that are not HTTP (400). The answer is written
 * on the socket, which is then closed.
 */
export function clientErrorHandler(this: { log: { debug(o: object, msg: string): void } }, err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode = CLIENT_ERRORS[err.code ?? ''] ?? 'request.bad_request';
  this.log.debug({ err: { code: err.code, message: err.message } }, `client error: ${code}`);
  // A response already under way cannot be replaced: only close.
  const started = (socket as unknown as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !started) {
    const status = statusOf(code);
    const body = JSON.stringify(errorBody(rawLocale(err, socket), new AppError(code)));
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n`
      + 'Content-Type: application/json; charset=utf-8\r\n'
      + `Content-Length: ${Buffer.byteLength(body)}\r\n`
      + `Content-Security-Policy: ${API_CSP}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n`
      + `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
