/**
 * The one place where errors become HTTP responses: `{ code, message, issues[] }`
 * (the ErrorBody of src/contract/errors.ts). The status comes from the error
 * catalogue there, the message from i18n `errors.<code>` and each issue's message
 * from its template `issues.*`, in the request's language.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CalendarRangeError } from '../core/calendar/index.ts';
import { ERRORS, errorMessageKey, isErrorCode, type ErrorBodyType, type ErrorCode } from '../contract/errors.ts';
import { AppError, type ErrorIssue, type ErrorParam } from '../errors.ts';
import { hasKey, t, type Locale } from '../i18n/index.ts';
import { renderIssue } from '../i18n/issues.ts';
import { when } from '../i18n/when.ts';
import { requestLocale } from './locale.ts';

/** The catalogue's status; a code that is not in it (a cast or plain JS slipped past the types) is our bug: 500. */
export function statusOf(code: ErrorCode): number {
  return isErrorCode(code) ? ERRORS[code].status : 500;
}

const REQUEST_PARTS = new Set(['body', 'query', 'params', 'headers']);

/**
 * Services validate what they were given (the body's fields) and report paths
 * relative to it; the API reports paths from the request root, like the schema
 * validation does ("body.document.weekly.mon.0").
 */
function rootIssues<I extends { path: ErrorIssue['path'] }>(request: FastifyRequest, issues: I[]): I[] {
  if (request.body === undefined) return issues;
  return issues.map((i) => (REQUEST_PARTS.has(String(i.path[0])) ? i : { ...i, path: ['body', ...i.path] }));
}

/** [code prefix, message parameter, i18n vocabulary] */
const PARAM_VOCABULARY: ReadonlyArray<readonly [string, string, string]> = [
  ['incident.', 'from', 'status'],
  ['incident.', 'to', 'status'],
  ['maintenance', 'status', 'maintenanceStatus'],
  ['change_request.', 'from', 'changeStatus'],
  ['change_request.', 'command', 'changeCommand'],
  ['change_request.', 'reason', 'changeApprovalState'],
];

export type ErrorBody = ErrorBodyType;

/** Instants in the reader's language and the contract's zone, as the console and the mails write them. */
function words(locale: Locale, params: Record<string, ErrorParam>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'object' ? when(locale, Date.parse(v.instant), v.zone) : v;
  return out;
}

export function errorBody(locale: Locale, err: AppError): ErrorBody {
  const code: ErrorCode = isErrorCode(err.code) ? err.code : 'internal';
  const params: Record<string, string | number> = { count: err.issues.length, ...words(locale, err.params), code };
  // Status names inside messages are shown in the reader's language.
  for (const [prefix, param, vocabulary] of PARAM_VOCABULARY) {
    const v = params[param];
    if (code.startsWith(prefix) && typeof v === 'string' && hasKey(locale, `${vocabulary}.${v}`)) params[param] = t(locale, `${vocabulary}.${v}`);
  }
  return { code, message: t(locale, errorMessageKey(code), params), issues: err.issues.map((i) => renderedIssue(locale, i)) };
}

function renderedIssue(locale: Locale, i: ErrorIssue): ErrorBody['issues'][number] {
  return { path: i.path, code: i.code, message: renderIssue(locale, i.code, i.params) };
}

/**
 * An instant outside the calendar's years (before 1970, or past the Japanese holiday
 * data's last year for a "jp" calendar) reaches the SLA core from many places — a
 * maintenance window, a notice query, a deadline — and is the caller's input, not our
 * failure: one coded 400 naming the years, wherever it surfaces.
 */
function outOfRange(err: CalendarRangeError): AppError {
  return new AppError('calendar.out_of_range', err.message, [], { from: err.firstYear, to: err.lastYear });
}

/** Maps Fastify's own errors (body parsing, limits) to our codes. */
function fromFastifyError(err: FastifyError): AppError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('request.unsupported_media_type');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('request.too_large');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('request.bad_json');
    default:
      break;
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) return new AppError('request.bad_json');
  if (err.statusCode === 429) {
    return new AppError('auth.rate_limited', 'rate limited');
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return new AppError('request.bad_request', err.message);
  return null;
}

export function errorHandler(err: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const locale = requestLocale(request);
  const appError = err instanceof AppError ? err : err instanceof CalendarRangeError ? outOfRange(err) : fromFastifyError(err as FastifyError);
  if (!appError) {
    request.log.error({ err }, 'unhandled error');
    void reply.status(500).send(errorBody(locale, new AppError('internal')));
    return;
  }
  const status = statusOf(appError.code);
  if (status >= 500) request.log.error({ err }, appError.code);
  const body = errorBody(locale, appError);
  void reply.status(status).send({ ...body, issues: rootIssues(request, body.issues) });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send(errorBody(requestLocale(request), new AppError('route.not_found')));
}
