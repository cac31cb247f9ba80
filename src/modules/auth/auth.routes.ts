/**
 * /auth (login, logout, current session), /users (admin), /tokens (API tokens).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CreatedToken, CreateTokenBody, CreateUserBody, LoginBody, Session, SetPasswordBody, UpdateUserBody, User, UserQuery, ApiToken,
} from '../../contract/auth.ts';
import { fromIso, IdParams, listOf, Ok, toIsoOrNull } from '../../contract/common.ts';
import { AppError } from '../../errors.ts';
import { actorOf } from '../../http/actor.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../http/auth-hooks.ts';
import type { Api, HttpConfig } from '../../http/types.ts';
import type { AuthDb } from './auth.repository.ts';
import * as auth from './auth.service.ts';
import { presentToken, presentUser } from './auth.presenter.ts';
import { DEFAULT_LOGIN_LIMITS, LoginThrottle } from './login-throttle.ts';

export interface AuthRouteDeps {
  db: AuthDb;
  clock: () => number;
  config: HttpConfig;
}

function secureCookie(request: FastifyRequest, config: HttpConfig): boolean {
  const flag = config.cookieSecure ?? 'auto';
  return flag === 'auto' ? request.protocol === 'https' : flag;
}

function setSessionCookies(request: FastifyRequest, reply: FastifyReply, config: HttpConfig, sessionId: string, csrfToken: string): void {
  const secure = secureCookie(request, config);
  // No Max-Age: a browser-session cookie; the server enforces the idle lifetime.
  void reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  void reply.setCookie(CSRF_COOKIE, csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure });
}

/** 429 with the wait in Retry-After (whole seconds, at least 1) and in the message. */
function rateLimited(reply: FastifyReply, waitMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  void reply.header('retry-after', String(seconds));
  return new AppError('auth.rate_limited', 'rate limited', [], { seconds });
}

export function registerAuthRoutes(app: Api, deps: AuthRouteDeps): void {
  const { db, clock, config } = deps;
  // Failures only, per account and per address (see login-throttle.ts); request.ip is the
  // client as far as the configured trustProxy allows (a hop count or our proxies' addresses).
  const throttle = new LoginThrottle(db, { ...DEFAULT_LOGIN_LIMITS, ...config.loginRateLimit });

  app.post('/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with e-mail and password; sets the session cookie',
      description: 'Failed sign-ins are limited per account and per client address (default 10 and 50 per 15 minutes); '
        + 'successful ones never count. Over a limit: 429 auth.rate_limited with Retry-After.',
      body: LoginBody,
      response: { 200: Session },
    },
    config: { public: true },
  }, async (request, reply) => {
    const attempt = await throttle.begin(request.body.email, request.ip, clock());
    if (!attempt.ok) throw rateLimited(reply, attempt.retryAfterMs);
    const user = await auth.verifyPassword(db, request.body.email, request.body.password);
    if (!user) throw new AppError('auth.invalid_credentials', 'invalid credentials');
    await throttle.succeeded(attempt);
    // A fresh id at every login (no session fixation); an old cookie of this browser is dropped.
    const old = request.cookies[SESSION_COOKIE];
    if (old) await auth.deleteSession(db, old);
    const s = await auth.createSession(db, user.id, {
      now: clock(),
      userAgent: request.headers['user-agent'] ?? null,
      ...(config.sessionIdleMs !== undefined ? { idleMs: config.sessionIdleMs } : {}),
    });
    setSessionCookies(request, reply, config, s.sessionId, s.csrfToken);
    return { user: presentUser(user), csrfToken: s.csrfToken, expiresAt: toIsoOrNull(s.expiresAt) };
  });

  app.post('/auth/logout', {
    schema: {
      tags: ['auth'],
      summary: 'End the current session',
      description: 'Ends the cookie session of this request. With a bearer token it ends nothing and the token stays valid: '
        + 'revoke a token with DELETE /tokens/{id}.',
      response: { 200: Ok },
    },
    config: { beforePasswordChange: true },
  }, async (request, reply) => {
    // A bearer token is not a session: logging out with one revokes nothing (docs/api.md).
    if (request.auth?.sessionId) await auth.deleteSession(db, request.auth.sessionId);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/auth/session', {
    schema: { tags: ['auth'], summary: 'The signed-in user, and the CSRF token for cookie sessions', response: { 200: Session } },
    config: { beforePasswordChange: true },
  }, async (request) => {
    const a = request.auth!;
    return { user: presentUser(a.user), csrfToken: a.csrfToken, expiresAt: toIsoOrNull(a.expiresAt) };
  });

  // ---- users ----

  app.get('/users', {
    schema: { tags: ['users'], summary: 'List users (staff)', querystring: UserQuery, response: { 200: listOf(User) } },
  }, async (request) => {
    const q = request.query;
    const rows = await auth.listUsers(db, { role: q.role, clientId: q.clientId, limit: q.limit, offset: q.offset }, actorOf(request));
    return { items: rows.map(presentUser) };
  });

  app.post('/users', {
    schema: { tags: ['users'], summary: 'Create a user (admin)', body: CreateUserBody, response: { 201: User } },
  }, async (request, reply) => {
    const b = request.body;
    const u = await auth.createUser(db, {
      email: b.email, name: b.name, role: b.role, clientId: b.clientId ?? null, password: b.password ?? null,
      ...(b.locale ? { locale: b.locale } : {}),
    }, clock(), actorOf(request));
    return reply.status(201).send(presentUser(u));
  });

  app.get('/users/:id', {
    schema: { tags: ['users'], summary: 'One user (staff)', params: IdParams, response: { 200: User } },
  }, async (request) => {
    return presentUser(await auth.getUser(db, request.params.id, actorOf(request)));
  });

  app.patch('/users/:id', {
    schema: { tags: ['users'], summary: 'Rename, change language, disable or enable a user (admin)', params: IdParams, body: UpdateUserBody, response: { 200: User } },
  }, async (request) => {
    return presentUser(await auth.updateUser(db, request.params.id, request.body, clock(), actorOf(request)));
  });

  app.put('/users/:id/password', {
    schema: {
      tags: ['users'],
      summary: 'Set a password (admin, or the user for themself with currentPassword); ends their other sessions and revokes their API tokens',
      params: IdParams, body: SetPasswordBody, response: { 200: Ok },
    },
    config: { beforePasswordChange: true },
  }, async (request, reply) => {
    const actor = actorOf(request);
    // Before anything else, a user holding a one-time password replaces their own.
    if (request.auth?.user.mustChangePassword && request.params.id !== actor.userId) {
      throw new AppError('auth.password_change_required', 'choose a new password first');
    }
    const keepSessionId = request.auth?.kind === 'session' ? request.auth.sessionId : null;
    if (request.params.id !== actor.userId) {
      await auth.setPassword(db, request.params.id, request.body.password, clock(), actor);
      return { ok: true as const };
    }
    // A wrong current password counts as a failed sign-in of the account: an open
    // session must not become a way around the login limit.
    const email = request.auth!.user.email;
    const wait = await throttle.accountWaitMs(email, clock());
    if (wait > 0) throw rateLimited(reply, wait);
    try {
      await auth.changeOwnPassword(db, actor.userId, request.body.currentPassword, request.body.password, clock(), actor, { keepSessionId });
    } catch (e) {
      if (e instanceof AppError && e.code === 'auth.current_password_wrong') await throttle.accountFailed(email, clock());
      throw e;
    }
    return { ok: true as const };
  });

  // ---- API tokens ----

  app.get('/tokens', {
    schema: {
      tags: ['tokens'], summary: 'API tokens: your own; admins may pass userId or see all',
      querystring: z.object({ userId: z.string().optional() }), response: { 200: listOf(ApiToken) },
    },
  }, async (request) => {
    return { items: (await auth.listApiTokens(db, request.query.userId, actorOf(request))).map(presentToken) };
  });

  app.post('/tokens', {
    schema: { tags: ['tokens'], summary: 'Create an API token; the secret is in the response only', body: CreateTokenBody, response: { 201: CreatedToken } },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const userId = request.body.userId ?? actor.userId;
    const expiresAt = request.body.expiresAt ? fromIso(request.body.expiresAt) : null;
    const created = await auth.createApiToken(db, { userId, name: request.body.name, expiresAt }, clock(), actor);
    return reply.status(201).send({ token: created.token, info: presentToken(created.info) });
  });

  app.delete('/tokens/:id', {
    schema: { tags: ['tokens'], summary: 'Revoke an API token', params: IdParams, response: { 200: Ok } },
  }, async (request) => {
    const actor = actorOf(request);
    await auth.revokeApiToken(db, request.params.id, clock(), actor);
    return { ok: true as const };
  });
}
