/**
 * Who may do what with maintenance. Scoping (contacts see only their client's
 * windows, series and settings; anything else is <entity>.not_found) and the
 * staff-only writes are enforced in the service through auth/access.ts. The
 * public ICS feed and status page are opened by an unguessable token instead of
 * a login; what the HTTP layer adds is building their absolute URLs.
 */
import type { FastifyRequest } from 'fastify';

/** The public URLs of a contract's feed and status page, from the request's own origin. */
export function publicUrls(req: FastifyRequest, apiPrefix: string, token: string): { icsUrl: string; statusUrl: string } {
  const origin = `${req.protocol}://${req.host}`;
  return { icsUrl: `${origin}${apiPrefix}/public/${token}/maintenance.ics`, statusUrl: `${origin}${apiPrefix}/public/${token}/status` };
}
