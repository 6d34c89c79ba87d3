/**
 * `GET /metrics` in Prometheus's text format. Not public: figures name namespaces and flows. A viewer of
 * every namespace may read them (a Prometheus scrape job uses an API token of such a user).
 */
import type { RouteModule } from '../context.ts';

export const metricsRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/metrics',
    { config: { access: { role: 'viewer', namespace: 'global' } }, schema: { tags: ['health'] } },
    async (_req, reply) => {
      const registry = ctx.metrics.registry;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
};
