/**
 * Every group of routes. `apiRoutes` are mounted under `/api/v1` (`/api/v1/main` is rewritten to it);
 * `rootRoutes` at the root. A new group is added here.
 */
import type { Api, RouteModule, ServerContext } from '../context.ts';
import { auditRoutes } from './audit.ts';
import { clusterRoutes } from './cluster.ts';
import { createExecutionRoutes } from './executions.ts';
import { bulkExecutionRoutes } from './executions-bulk.ts';
import { controlExecutionRoutes } from './executions-control.ts';
import { editExecutionRoutes } from './executions-edit.ts';
import { executionFileRoutes } from './executions-files.ts';
import { followExecutionRoutes } from './executions-follow.ts';
import { readExecutionRoutes } from './executions-read.ts';
import { flowRoutes } from './flows.ts';
import { flowBulkRoutes } from './flows-bulk.ts';
import { healthRoutes } from './health.ts';
import { logRoutes } from './logs.ts';
import { metricsRoutes } from './metrics.ts';
import { namespaceFileRoutes } from './namespace-files.ts';
import { namespaceRoutes } from './namespaces.ts';
import { pluginRoutes } from './plugins.ts';
import { statsRoutes } from './stats.ts';
import { tokenRoutes } from './tokens.ts';
import { triggerRoutes } from './triggers.ts';
import { uiRoutes } from './ui.ts';
import { userRoutes } from './users.ts';
import { webhookRoutes } from './webhooks.ts';

export const apiRoutes: RouteModule[] = [
  flowRoutes,
  flowBulkRoutes,
  namespaceRoutes,
  namespaceFileRoutes,
  createExecutionRoutes,
  readExecutionRoutes,
  followExecutionRoutes,
  controlExecutionRoutes,
  bulkExecutionRoutes,
  editExecutionRoutes,
  executionFileRoutes,
  logRoutes,
  webhookRoutes,
  triggerRoutes,
  userRoutes,
  tokenRoutes,
  auditRoutes,
  pluginRoutes,
  statsRoutes,
  clusterRoutes,
];

/** What a process without the api role serves when given a port: its health and its metrics. */
export const managementRoutes = (app: Api, ctx: ServerContext): void => {
  healthRoutes(app, ctx);
  metricsRoutes(app, ctx);
};

export const rootRoutes = (app: Api, ctx: ServerContext): void => {
  managementRoutes(app, ctx);
  // Last: its `/*` takes every path no other route has (the web UI's pages).
  uiRoutes(app, ctx);
};
