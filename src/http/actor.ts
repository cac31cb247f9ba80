/** What a route reads off the request about who is calling (the auth hook has set `request.auth`). */
import type { FastifyRequest } from 'fastify';
import type { Channel } from '../contract/vocabulary.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../modules/auth/actor.ts';
import type { RequestAuth } from './auth-hooks.ts';

/** The authenticated actor of a non-public route (the hook guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.auth) throw new AppError('auth.unauthenticated', 'unauthenticated');
  return request.auth.actor;
}

/** The channel an incident filed over HTTP arrived by: a token → "api", the web UI/portal session → "web". Staff may say "phone". */
export function channelFor(auth: RequestAuth, requested: 'phone' | 'web' | 'api' | undefined): Channel {
  return requested ?? (auth.kind === 'token' ? 'api' : 'web');
}
