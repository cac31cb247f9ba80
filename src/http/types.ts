import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { TrustProxy } from '../config.ts';
import type { DB } from '../db/schema.ts';
import type { MailOptions } from '../modules/mail/mail.service.ts';
import type { ServerTimeouts } from './edge.ts';
import type { Services } from './services.ts';

/** The Fastify instance routes are registered on: zod schemas type the handlers. */
export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface HttpConfig {
  /** The built web app served at / (default web/dist; src/http/web-static.ts). */
  webRoot?: string;
  /**
   * Which X-Forwarded-* to believe (client address for the login limit, https detection):
   * a hop count or our proxies' addresses/CIDRs; `true` is refused by src/config.ts.
   */
  trustProxy?: TrustProxy;
  /** Secure cookies: true/false, or 'auto' = when the request came over https (default). */
  cookieSecure?: boolean | 'auto';
  /** Idle lifetime of a session in ms (default 12 h). */
  sessionIdleMs?: number;
  /**
   * Failed sign-ins allowed per account and per client address within the window
   * (default 10 per account, 50 per address, 15 minutes); successes never count.
   */
  loginRateLimit?: { perAccount?: number; perAddress?: number; windowMs?: number };
  /**
   * Requests per client address and public route within the window for the public token pages
   * (the status page, the maintenance ICS feed): they need no sign-in, so a guessing or polling
   * client is slowed here (default 120 per minute).
   */
  publicRateLimit?: { max?: number; windowMs?: number };
  /** How long a resolved token/session is reused without asking the database (ms; 0 = never). Default 1000. */
  authCacheMs?: number;
  /** Parse every response against its schema (tests). */
  checkResponses?: boolean;
  /** Fastify logger: false (default) or pino options; secrets are always redacted. */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** The server's time limits in ms (src/http/edge.ts DEFAULT_TIMEOUTS for what is not given). */
  timeouts?: Partial<ServerTimeouts>;
  /** Strict-Transport-Security max-age in seconds, sent on https requests only (default one year; 0 = none). */
  hstsMaxAge?: number;
  /** Maximum JSON body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** The desk's public address (HOSHU_BASE_URL), for links in mail; absent: the request's own origin. */
  baseUrl?: string;
  /** The e-mail channel's settings (sender, loop guard) for agent replies sent through the API. */
  mail?: MailOptions;
}

/** What buildApp needs. `services` are the domain services of src/modules/<x>/<x>.service.ts. */
export interface AppDeps {
  db: Kysely<DB>;
  config?: HttpConfig;
  clock?: () => number;
  /** Built from {db, clock} when omitted. */
  services?: Services;
}
