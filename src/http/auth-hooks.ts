/**
 * Who is calling. A bearer token (Authorization: Bearer hoshu_…) or the session
 * cookie identifies the user; routes are authenticated unless their config says
 * `public: true`. Cookie-authenticated writes must carry the session's CSRF token
 * in X-CSRF-Token (synchronizer token: a cross-site page can make the browser send
 * the cookie but cannot read the token). Bearer requests are not exposed to CSRF —
 * browsers never add that header by themselves — and skip the check.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Actor } from '../modules/auth/actor.ts';
import { resolveApiToken, resolveSession, toActor, type AuthDb, type UserRow } from '../modules/auth/auth.service.ts';
import { safeEqual, sha256 } from '../modules/auth/secrets.ts';
import type { AuthCache } from './auth-cache.ts';

export const SESSION_COOKIE = 'hoshu_session';
/** Readable by the page's script (not HttpOnly) so a SPA can echo it in X-CSRF-Token. */
export const CSRF_COOKIE = 'hoshu_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface RequestAuth {
  kind: 'session' | 'token';
  user: UserRow;
  actor: Actor;
  /** For sessions: the token the client must echo on writes. */
  csrfToken: string | null;
  /** For sessions: the raw cookie value (needed to log out). Never logged. */
  sessionId: string | null;
  expiresAt: number | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
  interface FastifyContextConfig {
    /** No credentials needed (login, OpenAPI document, health). */
    public?: boolean;
    /**
     * Answered while the user must still replace a one-time password (their session,
     * sign-out, the password change itself); every other route says
     * auth.password_change_required until they do.
     */
    beforePasswordChange?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function makeAuthHook(opts: { db: AuthDb; clock: () => number; sessionIdleMs?: number | undefined; cache: AuthCache }) {
  const { cache } = opts;
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    request.auth = null;
    const now = opts.clock();
    const header = request.headers.authorization;
    const isPublic = request.routeOptions.config.public === true;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const key = m ? `t:${sha256(m[1]!)}` : '';
      let user = m ? (cache.get(key, now)?.user ?? null) : null;
      if (m && !user) {
        const token = cache.token();
        user = await resolveApiToken(opts.db, m[1]!, now);
        if (user) cache.set(key, { user, csrfToken: null, expiresAt: null }, now, token);
      }
      // A wrong token is an error even on public routes: the caller believes it is signed in.
      if (!user) throw new AppError('auth.invalid_token', 'invalid token');
      request.auth = { kind: 'token', user, actor: toActor(user), csrfToken: null, sessionId: null, expiresAt: null };
    } else {
      const sessionId = request.cookies[SESSION_COOKIE];
      if (sessionId) {
        const key = `s:${sha256(sessionId)}`;
        let s = cache.get(key, now) ?? null;
        if (!s) {
          const token = cache.token();
          const found = await resolveSession(opts.db, sessionId, opts.sessionIdleMs !== undefined ? { now, idleMs: opts.sessionIdleMs } : { now });
          if (found) {
            s = found;
            cache.set(key, found, now, token);
          }
        }
        if (s) {
          request.auth = { kind: 'session', user: s.user, actor: toActor(s.user), csrfToken: s.csrfToken, sessionId, expiresAt: s.expiresAt };
        } else if (!isPublic) {
          throw new AppError('auth.session_expired', 'session expired');
        }
      }
    }
    if (isPublic) return;
    if (!request.auth) throw new AppError('auth.unauthenticated', 'unauthenticated');
    if (request.auth.user.mustChangePassword && request.routeOptions.config.beforePasswordChange !== true) {
      throw new AppError('auth.password_change_required', 'choose a new password first');
    }
    if (request.auth.kind === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, request.auth.csrfToken ?? '')) {
        throw new AppError('auth.csrf_failed', 'csrf token missing or wrong');
      }
    }
  };
}
