import type { FastifyRequest } from 'fastify';

/** The public URLs of a contract's ICS feed and status page, from the request's own origin. */
export function publicUrls(req: FastifyRequest, apiPrefix: string, token: string): { icsUrl: string; statusUrl: string } {
  const origin = `${req.protocol}://${req.host}`;
  return { icsUrl: `${origin}${apiPrefix}/public/${token}/maintenance.ics`, statusUrl: `${origin}${apiPrefix}/public/${token}/status` };
}
