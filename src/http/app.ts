/**
 * buildApp(deps): the HTTP API as a Fastify instance, ready for `inject` in tests or
 * `listen` in src/main.ts. No listening, no process globals here.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { fastifyTrustProxy } from '../config.ts';
import { ErrorBody } from '../contract/errors.ts';
import { AppError } from '../errors.ts';
import { registerAuthRoutes } from '../modules/auth/auth.routes.ts';
import { registerAccountRoutes } from '../modules/auth/auth.account.routes.ts';
import { AuthCache } from './auth-cache.ts';
import { tableVersionsOf } from '../db/table-versions.ts';
import { makeAuthHook } from './auth-hooks.ts';
import { DEFAULT_TIMEOUTS, clientErrorHandler, makeFrameworkErrors, serializeRequest, serverTimeoutOptions, setSecurityHeaders } from './edge.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { registerDomainRoutes } from './domain-routes.ts';
import { createServices } from './services.ts';
import { OPENAPI_INFO } from './openapi-info.ts';
import { operationId } from './operation-id.ts';
import { makeSerializerCompiler } from './serializer.ts';
import type { Api, AppDeps, HttpConfig } from './types.ts';
import { passThroughValidator, validateRequest } from './validation.ts';
import { registerMailRoutes } from '../modules/mail/mail.routes.ts';
import { webhooksOpenApi } from '../contract/webhooks.ts';
import { registerMailSourceRoutes } from '../modules/mail/mail.source.routes.ts';

export type { AppDeps, HttpConfig } from './types.ts';

export const API_PREFIX = '/api/v1';
const AUTH_MUTATING = /^\/api\/v1\/(auth|users|tokens)(\/|\?|$)/;

/** Never let a secret reach a log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.csrfToken',
  '*.sessionId',
  '*.secret',
  'password',
  'token',
  'csrfToken',
  'sessionId',
  'secret',
];

const ERROR_RESPONSES = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody };

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const config: HttpConfig = deps.config ?? {};
  const clock = deps.clock ?? Date.now;
  const services = deps.services ?? createServices({ db: deps.db, clock }, config.mail ? { mail: config.mail } : {});
  const logger = config.logger === undefined || config.logger === false
    ? false
    : {
      ...(config.logger === true ? {} : config.logger),
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      // The URL is logged with every request: without the public pages' tokens.
      serializers: { req: serializeRequest },
    };
  const hstsMaxAge = config.hstsMaxAge ?? 31_536_000;

  const app = Fastify({
    logger,
    trustProxy: fastifyTrustProxy(config.trustProxy ?? false),
    bodyLimit: config.bodyLimit ?? 1024 * 1024,
    // While closing, refuse new requests rather than start work that close() would cut off.
    return503OnClosing: true,
    ...serverTimeoutOptions({ ...DEFAULT_TIMEOUTS, ...config.timeouts }),
    clientErrorHandler,
    frameworkErrors: makeFrameworkErrors({ hstsMaxAge }),
  }).withTypeProvider<ZodTypeProvider>() as unknown as Api;

  // Services built here are this app's: their PDF printer's Chromium goes with it.
  if (!deps.services) app.addHook('onClose', async () => services.pdf.close());
  app.setValidatorCompiler(passThroughValidator);
  app.setSerializerCompiler(makeSerializerCompiler(config.checkResponses ?? false));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('auth', null);
  // JSON is UTF-8 (RFC 8259). Fastify's parser decodes invalid bytes to U+FFFD, so a body
  // from a client with the wrong encoding was stored with its text silently replaced:
  // decode strictly and refuse it as unreadable; then parse as Fastify does (no __proto__).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new AppError('request.bad_json', 'the body is not UTF-8'), undefined);
      return;
    }
    parseJson(request, text, done);
  });

  await app.register(fastifyCookie);
  // The public token pages (no sign-in) are limited per address in memory; the sign-in limits are
  // the database-backed ones of auth (they hold across processes and count failures only). Added
  // before the plugin so that its own onRoute hook sees the option on every /public/ route.
  const publicLimit = { max: config.publicRateLimit?.max ?? 120, timeWindow: config.publicRateLimit?.windowMs ?? 60_000 };
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(`${API_PREFIX}/public/`)) route.config = { ...route.config, rateLimit: publicLimit };
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError('request.rate_limited', 'rate limited', [], { seconds: Math.max(1, Math.ceil(ctx.ttl / 1000)) }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'API token (hoshu_…), created with `hoshu token create` or POST /api/v1/tokens' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'hoshu_session', description: 'Session cookie from POST /api/v1/auth/login; writes also need the X-CSRF-Token header' },
        },
      },
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
      // The outbound events' payloads (OpenAPI 3.1 `webhooks`; built as plain JSON Schema, which the typed option cannot name).
      webhooks: webhooksOpenApi() as never,
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => schemasInNameOrder(jsonSchemaTransformObject(input)),
  });

  // Every route documents the error shape; public routes say they need no credentials.
  app.addHook('onRoute', (route) => {
    if (!route.schema) return;
    const schema = route.schema as Record<string, unknown> & { response?: Record<string, unknown> };
    schema.response = { ...ERROR_RESPONSES, ...(schema.response ?? {}) };
    if (route.config?.public) schema.security = [];
    const method = Array.isArray(route.method) ? route.method[0]! : route.method;
    schema.operationId ??= operationId(method, route.url, API_PREFIX);
  });

  const authCache = new AuthCache(config.authCacheMs ?? 1000, undefined, tableVersionsOf(deps.db));
  app.addHook('onRequest', makeAuthHook({ db: deps.db, clock, sessionIdleMs: config.sessionIdleMs, cache: authCache }));
  // Any change to users, sessions or tokens made through this process is seen at once.
  // onSend runs after the handler's change and before the client sees the answer.
  app.addHook('onSend', async (request, reply, payload) => {
    // API answers carry client data: never cached by shared caches, never sniffed as HTML.
    void reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    setSecurityHeaders(request, reply, { hstsMaxAge });
    if (request.method !== 'GET' && request.method !== 'HEAD' && AUTH_MUTATING.test(request.url)) authCache.clear();
    return payload;
  });
  app.addHook('preValidation', validateRequest);
  app.addHook('onClose', async () => { await services.pdf.close(); }); // the PDF printer's browser, if one was launched

  await app.register(async (api) => {
    const a = api as unknown as Api;
    a.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
    a.get('/health', { schema: { hide: true }, config: { public: true } }, async () => ({ ok: true }));
    registerAuthRoutes(a, { db: deps.db, clock, config });
    registerMailRoutes(a, services.mail);
    registerAccountRoutes(a, { db: deps.db, clock, baseUrl: config.baseUrl });
    registerMailSourceRoutes(a, services.mail);
    registerDomainRoutes(a, services, { checkResponses: config.checkResponses ?? false });
  }, { prefix: API_PREFIX });
  await (await import('./web-static.ts')).registerWebStatic(app as unknown as FastifyInstance, config.webRoot); // the web app at / (web/dist), when built

  await app.ready();
  return app as unknown as FastifyInstance;
}

/**
 * The document's component schemas in name order. zod's registry lists them in the order their
 * modules were first loaded, which depends on what the process imported before building the app:
 * the served document (and the committed docs/openapi.json test) changed with the test files a
 * worker had run earlier.
 */
function schemasInNameOrder<T>(doc: T): T {
  const components = (doc as { components?: { schemas?: Record<string, unknown> } }).components;
  if (components?.schemas) components.schemas = Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return doc;
}
