/**
 * HTTP test helpers: an app over a real test database, users of every role signed
 * in both ways (bearer token, cookie session with its CSRF token), and a tiny
 * request wrapper over app.inject (no listening).
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp, type HttpConfig } from '../../src/http/app.ts';
import type { DB } from '../../src/db/schema.ts';
import { createApiToken, createUser } from '../../src/modules/auth/auth.service.ts';
import type { Role } from '../../src/modules/auth/actor.ts';

export const PASSWORD = 'correct horse battery';

/** A fixed, controllable clock: tests never read the real time. */
export function fixedClock(start = Date.parse('2026-04-01T00:00:00Z')) {
  let now = start;
  const clock = () => now;
  return Object.assign(clock, { set: (ms: number) => void (now = ms), advance: (ms: number) => void (now += ms) });
}

export async function makeApp(db: Kysely<DB>, clock: () => number, config: HttpConfig = {}): Promise<FastifyInstance> {
  return buildApp({ db, clock, config: { checkResponses: true, ...config } });
}

export interface Caller {
  role: Role | 'anonymous';
  userId: string | null;
  clientId: string | null;
  email: string;
  headers: Record<string, string>;
}

let seq = 0;
export async function makeUser(db: Kysely<DB>, role: Role, clientId: string | null = null, now = Date.parse('2026-04-01T00:00:00Z')) {
  seq += 1;
  const email = `${role}${seq}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await createUser(db, { email, name: `${role} ${seq}`, role, clientId, password: PASSWORD }, now);
  return user;
}

/** A caller authenticated with a bearer token. */
export async function tokenCaller(db: Kysely<DB>, role: Role, clientId: string | null = null): Promise<Caller> {
  const user = await makeUser(db, role, clientId);
  const { token } = await createApiToken(db, { userId: user.id, name: 'test' });
  return { role, userId: user.id, clientId, email: user.email, headers: { authorization: `Bearer ${token}` } };
}

/** A caller signed in through POST /auth/login: cookie + CSRF header. */
export async function sessionCaller(app: FastifyInstance, db: Kysely<DB>, role: Role, clientId: string | null = null): Promise<Caller> {
  const user = await makeUser(db, role, clientId);
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'hoshu_session')!;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { role, userId: user.id, clientId, email: user.email, headers: { cookie: `hoshu_session=${cookie.value}`, 'x-csrf-token': csrf } };
}

export const anonymous: Caller = { role: 'anonymous', userId: null, clientId: null, email: '', headers: {} };

export function call(app: FastifyInstance, who: Caller, opts: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject({ ...opts, headers: { ...who.headers, ...(opts.headers ?? {}) } }) as Promise<LightMyRequestResponse>;
}
