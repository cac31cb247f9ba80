/**
 * The one place where errors become HTTP responses: `{ code, message, issues[] }`.
 * The status comes from the table below (exact code first, then the code's last
 * segment), the message from i18n `errors.<code>` in the request's language.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorIssue } from '../errors.ts';
import { hasKey, t, type Locale } from '../i18n/index.ts';
import { requestLocale } from './locale.ts';

const STATUS_BY_CODE: Record<string, number> = {
  'validation.failed': 400,
  'request.bad_json': 400,
  'request.bad_request': 400,
  'request.unsupported_media_type': 415,
  'request.too_large': 413,
  'route.not_found': 404,
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  'auth.invalid_token': 401,
  'auth.session_expired': 401,
  'auth.forbidden': 403,
  'auth.csrf_failed': 403,
  'auth.rate_limited': 429,
  'auth.email_taken': 409,
  'auth.client_required': 400,
  'auth.client_not_allowed': 400,
  'auth.weak_password': 400,
  'auth.blank_password': 400,
  'auth.common_password': 400,
  'auth.current_password_required': 400,
  'auth.current_password_wrong': 400,
  'token.expiry_in_past': 400,
  'auth.user_disabled': 403,
  internal: 500,
};

/** By the last segment of the code (`incident.not_found` → not_found). */
const STATUS_BY_SUFFIX: Record<string, number> = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  already_exists: 409,
  invalid_transition: 409,
  invalid_state: 409,
  invalid: 400,
  invalid_document: 400,
  required: 400,
};

/**
 * Any other AppError is a rule of the domain that the input broke (e.g. a contract
 * ending before it starts): 422, the request was understood but cannot be done.
 */
const DEFAULT_APP_ERROR_STATUS = 422;

export function statusOf(code: string, issueCount = 0): number {
  const exact = STATUS_BY_CODE[code];
  if (exact !== undefined) return exact;
  const suffix = code.slice(code.lastIndexOf('.') + 1);
  // An error that points at fields of the input is bad input.
  return STATUS_BY_SUFFIX[suffix] ?? (issueCount > 0 ? 400 : DEFAULT_APP_ERROR_STATUS);
}

const REQUEST_PARTS = new Set(['body', 'query', 'params', 'headers']);

/**
 * Services validate what they were given (the body's fields) and report paths
 * relative to it; the API reports paths from the request root, like the schema
 * validation does ("body.document.weekly.mon.0").
 */
function rootIssues(request: FastifyRequest, issues: ErrorIssue[]): ErrorIssue[] {
  if (request.body === undefined) return issues;
  return issues.map((i) => (REQUEST_PARTS.has(String(i.path[0])) ? i : { ...i, path: ['body', ...i.path] }));
}

/** [code prefix, message parameter, i18n vocabulary] */
const PARAM_VOCABULARY: ReadonlyArray<readonly [string, string, string]> = [
  ['incident.', 'from', 'status'],
  ['incident.', 'to', 'status'],
  ['maintenance', 'status', 'maintenanceStatus'],
];

export interface ErrorBody {
  code: string;
  message: string;
  issues: ErrorIssue[];
}

export function errorBody(locale: Locale, err: AppError): ErrorBody {
  const key = `errors.${err.code}`;
  const params: Record<string, string | number> = { count: err.issues.length, ...err.params, code: err.code };
  // Status names inside messages are shown in the reader's language.
  for (const [prefix, param, vocabulary] of PARAM_VOCABULARY) {
    const v = params[param];
    if (err.code.startsWith(prefix) && typeof v === 'string' && hasKey(locale, `${vocabulary}.${v}`)) params[param] = t(locale, `${vocabulary}.${v}`);
  }
  const message = hasKey('en', key) ? t(locale, key, params) : err.message !== err.code ? err.message : t(locale, 'errors.unknown', params);
  return { code: err.code, message, issues: err.issues };
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
  const appError = err instanceof AppError ? err : fromFastifyError(err as FastifyError);
  if (!appError) {
    request.log.error({ err }, 'unhandled error');
    void reply.status(500).send(errorBody(locale, new AppError('internal')));
    return;
  }
  const status = statusOf(appError.code, appError.issues.length);
  if (status >= 500) request.log.error({ err }, appError.code);
  const body = errorBody(locale, appError);
  void reply.status(status).send({ ...body, issues: rootIssues(request, body.issues) });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send(errorBody(requestLocale(request), new AppError('route.not_found')));
}
