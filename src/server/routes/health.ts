/** Liveness and readiness, outside `/api/v1` and open (load balancers and orchestrators call them). */
import type { RouteModule } from '../context.ts';

export const healthRoutes: RouteModule = (app, ctx) => {
  app.get('/health', { config: { access: 'public' }, schema: { tags: ['health'] } }, async () => ({
    status: 'UP',
  }));
  app.get('/ready', { config: { access: 'public' }, schema: { tags: ['health'] } }, async (_req, reply) => {
    // Ready when the store answers: a database that cannot be read means no request can be served.
    try {
      await ctx.engine.store.countQueue('executor');
      return { status: 'UP' };
    } catch {
      return reply.status(503).send({ status: 'DOWN' });
    }
  });
};
