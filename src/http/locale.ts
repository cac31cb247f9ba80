import type { FastifyRequest } from 'fastify';
import { pickLocale, type Locale } from '../i18n/index.ts';

/** The request's language: Accept-Language (ja default). Cached on the request. */
export function requestLocale(request: FastifyRequest): Locale {
  const r = request as FastifyRequest & { hoshuLocale?: Locale };
  return (r.hoshuLocale ??= pickLocale(request.headers['accept-language']));
}
