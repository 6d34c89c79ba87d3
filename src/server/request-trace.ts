/**
 * One span per API request when traces are on, named after the route's template (`POST
 * /api/v1/executions/:namespace/:id`), under the caller's `traceparent` header if it sent one. What the
 * request starts (an execution's creation) is made under it, through the request's async context.
 */
import type { FastifyRequest } from 'fastify';
import { enterRequestContext, startSpan, type TraceSpan } from '../tracing/tracing.ts';
import type { Api } from './context.ts';

export const traceRequests = (app: Api): void => {
  const spans = new WeakMap<FastifyRequest, TraceSpan>();
  // A callback hook, not an async one: `enterWith` must run in the frame that goes on to the handler.
  app.addHook('onRequest', (req, _reply, done) => {
    const route = req.routeOptions.url ?? 'unknown route';
    const header = req.headers.traceparent;
    const span = startSpan({
      name: `${req.method} ${route}`,
      kind: 'server',
      parent: typeof header === 'string' ? header : undefined,
      attributes: {
        'http.request.method': req.method,
        'http.route': route,
        'url.path': req.url.split('?')[0],
      },
    });
    spans.set(req, span);
    enterRequestContext(span.traceparent);
    done();
  });
  app.addHook('onResponse', async (req, reply) => {
    spans.get(req)?.end({
      attributes: { 'http.response.status_code': reply.statusCode },
      error: reply.statusCode >= 500 ? `status ${reply.statusCode}` : undefined,
    });
  });
};
