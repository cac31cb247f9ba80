/**
 * Serves the web app (web/dist, built by `npm run build:web`) at / from the desk's
 * own server: hashed assets with a long cache, index.html for every other
 * non-/api GET so deep links (/incidents/…, /portal/…) reach the SPA's router.
 * Unknown /api paths keep the API's JSON 404. Without a build the desk serves the
 * API only. These routes are public (the page itself carries no data) and hidden
 * from the OpenAPI document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export async function registerWebStatic(app: FastifyInstance, root: string = WEB_DIST): Promise<void> {
  if (!fs.existsSync(path.join(root, 'index.html'))) return;
  await app.register(async (web) => {
    // Every route of this plugin is public: the auth hook lets them through without a session.
    web.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    await web.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
    });
    // Runs after the app's own onSend (which marks answers no-store): hashed assets may be cached for good.
    web.addHook('onSend', async (request, reply, payload) => {
      if (!request.url.startsWith('/api')) {
        void reply.header('cache-control', request.url.startsWith('/assets/') && reply.statusCode === 200 ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
      return payload;
    });
    const spa = (request: FastifyRequest, reply: FastifyReply) => {
      // Unknown API paths keep the API's JSON 404; a missing asset is a 404, not the page.
      if (request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/assets/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    };
    web.get('/', spa);
    web.get('/*', spa);
  });
}
