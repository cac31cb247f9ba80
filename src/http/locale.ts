import type { FastifyRequest } from 'fastify';
import { pickLocale, type Locale } from '../i18n/index.ts';

/**
 * The request's language: Accept-Language when the client sends one, else the
 * signed-in user's saved language, else Japanese.
 */
export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  if (header) return pickLocale(header);
  const saved = request.auth?.user.locale;
  return saved === 'en' ? 'en' : 'ja';
}

/** The public status page's language: `?lang=` first, then Accept-Language (no one is signed in there). */
export function statusPageLocale(request: FastifyRequest, lang: Locale | undefined): Locale {
  return lang ?? pickLocale(request.headers['accept-language']);
}
