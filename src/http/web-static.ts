/**
 * Serves the web app (web/dist, built by `npm run build:web`) at / from the desk's
 * own server: hashed assets with a long cache, index.html for every other
 * non-/api GET so deep links (/incidents/…, /portal/…) reach the SPA's router.
 * Unknown /api paths keep the API's JSON 404. Without a build, every such page
 * answers a short HTML page saying how to build it (not the API's 401 JSON). Answers
 * are compressed: the assets' brotli/gzip copies written at build (web/vite.config.ts),
 * anything else by @fastify/compress, as the browser accepts. These
 * routes are public (the page itself carries no data) and hidden from the OpenAPI
 * document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { t } from '../i18n/index.ts';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Whether `root` holds a built web app. */
export function hasWebBundle(root: string = WEB_DIST): boolean {
  return fs.existsSync(path.join(root, 'index.html'));
}

/** The page served instead of the app when it has not been built: both languages, since nobody has chosen one yet. */
export function missingBundlePage(root: string): string {
  const esc = (x: string) => x.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const part = (locale: 'ja' | 'en') => `<section lang="${locale}"><h1>${esc(t(locale, 'cli.web.missingTitle'))}</h1>`
    + `<p>${esc(t(locale, 'cli.web.missingBody', { dir: root }))}</p><pre>npm run build:web</pre>`
    + `<p>${esc(t(locale, 'cli.web.missingApi'))}</p></section>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Hoshu</title></head><body>${part('ja')}<hr>${part('en')}</body></html>`;
}

export async function registerWebStatic(app: FastifyInstance, root: string = WEB_DIST): Promise<void> {
  await app.register(async (web) => {
    // Every route of this plugin is public: the auth hook lets them through without a session.
    web.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
      route.schema = { ...(route.schema ?? {}), hide: true };
    });
    // Scoped to this plugin: the API's JSON stays as it is; the bundle's JS and CSS shrink several times over.
    await web.register(fastifyCompress, { global: true });
    if (!hasWebBundle(root)) {
      // Checked once at start: `hoshu serve` builds the bundle before this when it can (src/cli/web-build.ts).
      const missing = async (request: FastifyRequest, reply: FastifyReply) => {
        const url = request.url.split('?')[0] ?? '/';
        if (url === '/api' || url.startsWith('/api/')) return reply.callNotFound();
        return reply.code(503).type('text/html; charset=utf-8').send(missingBundlePage(root));
      };
      web.get('/', missing);
      web.get('/*', missing);
      return;
    }
    // serve: false — only reply.sendFile; the one route below picks the file, so a rebuild is served without a restart.
    // preCompressed: an asset's .br/.gz copy from the build is sent as it is (no compression per request).
    await web.register(fastifyStatic, { root, serve: false, preCompressed: true });
    // Runs after the app's own onSend (which marks answers no-store): hashed assets may be cached for good.
    web.addHook('onSend', async (request, reply, payload) => {
      if (!request.url.startsWith('/api')) {
        void reply.header('cache-control', request.url.startsWith('/assets/') && reply.statusCode === 200 ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
      return payload;
    });
    const spa = async (request: FastifyRequest, reply: FastifyReply) => {
      const url = request.url.split('?')[0] ?? '/';
      // Unknown API paths keep the API's JSON 404.
      if (url === '/api' || url.startsWith('/api/')) return reply.callNotFound();
      const file = safeFile(root, url);
      if (file) return reply.sendFile(file);
      // A missing asset is a 404, not the page.
      if (url.startsWith('/assets/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    };
    web.get('/', spa);
    web.get('/*', spa);
  });
}

/** A file under root for this URL path (relative), or null: no traversal, no dotfiles, no directories. */
function safeFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded === '/' || decoded.includes('\0')) return null;
  const rel = path.posix.normalize(decoded).replace(/^\/+/, '');
  if (rel.startsWith('..') || rel.split('/').some((seg) => seg.startsWith('.'))) return null;
  const abs = path.join(root, rel);
  if (!abs.startsWith(root)) return null;
  try {
    return fs.statSync(abs).isFile() ? rel : null;
  } catch {
    return null;
  }
}
