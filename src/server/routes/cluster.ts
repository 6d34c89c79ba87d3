/**
 * `GET /api/v1/cluster`: the Baton processes sharing this database (their roles, worker group, busy and
 * total worker slots, last heartbeat and lag). A viewer of every namespace may read it: it names hosts
 * and pids, not any namespace's data.
 */
import { clusterView } from '../../runtime/cluster.ts';
import type { RouteModule } from '../context.ts';

export const clusterRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/cluster',
    {
      config: { access: { role: 'viewer', namespace: 'global' } },
      schema: { tags: ['Cluster'], summary: 'The running Baton processes (heartbeats)' },
    },
    async () => ({ instances: await clusterView(ctx.engine.store) }),
  );
};
