/**
 * fetch over /api/v1 with the session cookie. Writes echo the CSRF token (the
 * readable hoshu_csrf cookie, or the one the login answer gave) in X-CSRF-Token.
 * Errors become ApiError with the API's stable code and its issues, and the
 * server's message in the UI language (Accept-Language follows the switch).
 */
import i18n from 'i18next';
import type { ErrorBodyType, ErrorIssueBody } from '../../src/contract/errors.ts';

export const API = '/api/v1';

/** One problem of the input, as the API words it (the contract's ErrorIssue). */
export type ApiIssue = ErrorIssueBody;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
  get notFound(): boolean {
    return this.status === 404;
  }
}

/**
 * Anything that is not an answer of the API (no network, a bug in the page) as an
 * ApiError in the UI language; the original goes to the console for whoever debugs it.
 */
export function asApiError(x: unknown): ApiError {
  if (x instanceof ApiError) return x;
  console.error(x);
  return new ApiError(0, 'network', i18n.t('common.networkError'));
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function csrfFromCookie(): string | null {
  const m = /(?:^|;\s*)hoshu_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : null;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': i18n.language === 'en' ? 'en' : 'ja' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfFromCookie() ?? csrfToken;
    if (token) headers['x-csrf-token'] = token;
  }
  const res = await fetch(`${API}${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    // A proxy or a crash may answer with something else than the API's error body.
    const e = (data ?? {}) as Partial<ErrorBodyType>;
    throw new ApiError(res.status, e.code ?? 'unknown', e.message ?? res.statusText, e.issues ?? []);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);

/** Query string from defined values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** A multipart upload (FormData: the browser sets the boundary), with the CSRF token and the API's error handling. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': i18n.language === 'en' ? 'en' : 'ja' };
  const token = csrfFromCookie() ?? csrfToken;
  if (token) headers['x-csrf-token'] = token;
  const res = await fetch(`${API}${path}`, { method: 'POST', headers, credentials: 'same-origin', body: form });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page (413 from nginx, say): the status speaks.
  }
  if (!res.ok) {
    const e = (data ?? {}) as Partial<ErrorBodyType>;
    throw new ApiError(res.status, e.code ?? 'unknown', e.message ?? res.statusText, e.issues ?? []);
  }
  return data as T;
}
