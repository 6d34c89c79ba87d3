/**
 * The HTTP API: Fastify with TypeBox schemas (the same schemas validate requests and make the OpenAPI
 * document), access control on every route, security headers, and Kestra's paths under `/api/v1` and
 * `/api/v1/main` (Kestra 1.x's tenant prefix, rewritten to the first).
 */
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import pkg from '../../package.json' with { type: 'json' };
import { tracingOn } from '../tracing/tracing.ts';
import { accessHook } from './access.ts';
import { LoginLimiter } from './auth/login-limit.ts';
import type { Api, ServerContext } from './context.ts';
import { corsHeaders, corsPreflight } from './cors.ts';
import { answerFor } from './errors.ts';
import { traceRequests } from './request-trace.ts';
import { apiRoutes, managementRoutes, rootRoutes } from './routes/index.ts';
import { RouteCatalog, routeListRoutes } from './routes/route-list.ts';

export const API_PREFIX = '/api/v1';
/**
 * Kestra 1.x's tenant prefix: `/api/v1/main/...` is the same API as `/api/v1/...`. Rewritten before
 * routing rather than registered twice: one set of routes, validators and serializers (registering
 * every route under both prefixes doubled the start time and the idle memory).
 */
const TENANT_PREFIX = '/api/v1/main';

const withoutTenant = (url: string): string =>
  url.startsWith(TENANT_PREFIX) &&
  (url.length === TENANT_PREFIX.length || '/?'.includes(url[TENANT_PREFIX.length]!))
    ? API_PREFIX + url.slice(TENANT_PREFIX.length)
    : url;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
} as const;

/**
 * `scope`: `all` for the api role; `management` for a process without it that was given a port: its
 * health and metrics only, behind the same authentication.
 */
export const buildApp = async (
  ctx: Omit<ServerContext, 'log'>,
  logger: Logger,
  scope: 'all' | 'management' = 'all',
): Promise<Api> => {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: ctx.options.bodyLimit,
    // Requests are logged once, when answered (below), with their status and duration.
    logController: new LogController({ disableRequestLogging: true }),
    // Behind a proxy the client address comes from X-Forwarded-For only when the operator says so.
    trustProxy: process.env.BATON_TRUST_PROXY === '1',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    rewriteUrl: (req) => withoutTenant(req.url ?? '/'),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as Api;
  const context: ServerContext = { ...ctx, log: app.log };

  // Flows are posted as YAML; webhooks and KV may get any text.
  for (const type of ['application/x-yaml', 'application/yaml', 'text/yaml', 'text/plain'])
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  // Execution and resume inputs come as multipart/form-data (files for FILE inputs), read with
  // `req.parts()`; an upload over the body limit is refused with 413.
  await app.register(multipart, {
    limits: { fileSize: ctx.options.bodyLimit, fieldSize: 1 << 20, fields: 1000, files: 100, parts: 1100 },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Baton API', version: pkg.version, description: 'Kestra-compatible orchestration API' },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ basic: [] }, { bearer: [] }],
    },
  });

  if (tracingOn()) traceRequests(app);
  // Every route, as registered, for the route listing (and the test that the OpenAPI document has them all).
  const catalog = new RouteCatalog();
  app.addHook('onRoute', (route) => catalog.add(route));
  // CORS preflight first: a browser sends it without credentials, so it must be answered before access
  // control. Only for the configured origins; for any other, OPTIONS stays unanswered (404, no headers).
  app.addHook('onRequest', corsPreflight(ctx.options.corsOrigins));
  app.addHook(
    'onRequest',
    accessHook(ctx.auth, new LoginLimiter(ctx.options.loginLimit), () => context),
  );
  app.addHook('onSend', async (req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    corsHeaders(ctx.options.corsOrigins, req, reply);
    return payload;
  });
  // One line per request at debug level: at info, an access log of webhook bursts would cost more
  // than the requests themselves.
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug(
      { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
  app.setErrorHandler((error, req, reply) => {
    const answer = answerFor(error);
    if (answer.internal) req.log.error({ err: error, url: req.url }, 'request failed');
    // Not to the web UI (it says `x-requested-with`): a Basic challenge would make the browser open its
    // own sign-in dialog over the app's form.
    if (answer.statusCode === 401 && req.headers['x-requested-with'] !== 'XMLHttpRequest')
      reply.header('www-authenticate', 'Basic realm="baton", charset="UTF-8"');
    void reply.status(answer.statusCode).send(answer.body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .send({ message: `no route ${req.method} ${req.url.split('?')[0]}`, code: 'NOT_FOUND' });
  });

  if (scope === 'management') {
    managementRoutes(app, context);
    await app.ready();
    return app;
  }
  rootRoutes(app, context);
  await app.register(
    async (scoped) => {
      for (const register of apiRoutes) register(scoped as Api, context);
      routeListRoutes(catalog)(scoped as Api, context);
    },
    { prefix: API_PREFIX },
  );
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.ready();
  return app;
};
