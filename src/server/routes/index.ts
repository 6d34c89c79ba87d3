/**
 * Every group of routes. `apiRoutes` are mounted under each API prefix (`/api/v1`, `/api/v1/main`);
 * `rootRoutes` at the root. A new group is added here.
 */
import type { Api, RouteModule, ServerContext } from '../context.ts';
import { flowRoutes } from './flows.ts';
import { flowBulkRoutes } from './flows-bulk.ts';
import { healthRoutes } from './health.ts';
import { metricsRoutes } from './metrics.ts';
import { namespaceRoutes } from './namespaces.ts';

export const apiRoutes: RouteModule[] = [flowRoutes, flowBulkRoutes, namespaceRoutes];

export const rootRoutes = (app: Api, ctx: ServerContext): void => {
  healthRoutes(app, ctx);
  metricsRoutes(app, ctx);
};
