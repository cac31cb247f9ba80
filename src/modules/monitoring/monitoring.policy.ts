/**
 * Who may do what with monitoring. Scoping (contacts see only their client's
 * monitors, outages and availability; anything else is <entity>.not_found) and
 * the staff-only writes are enforced in the service through auth/access.ts. The
 * public status page is opened by the contract's token instead of a login; its
 * language is `?lang=` first, then Accept-Language.
 */
import type { FastifyRequest } from 'fastify';
import { pickLocale, type Locale } from '../../i18n/index.ts';

export function statusPageLocale(req: FastifyRequest, lang: Locale | undefined): Locale {
  return lang ?? pickLocale(req.headers['accept-language']);
}
