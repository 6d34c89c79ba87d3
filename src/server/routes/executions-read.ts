/**
 * Reading executions: one by id, and Kestra's search (`GET /executions/search`) with its legacy query
 * parameters (namespace prefix, flowId, state, labels, startDate/endDate or timeRange, page/size),
 * answered as `{ results, total }` and restricted to the namespaces the caller may view.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { STATES, type State } from '../../execution/types.ts';
import type { Flow } from '../../flow/types.ts';
import type { ExecutionFilter } from '../../store/types.ts';
import { durationMs } from '../../util/duration.ts';
import { namespaceMatches } from '../auth/roles.ts';
import type { RouteModule, ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { toKestraListed } from '../kestra/execution-json.ts';
import { ExecutionIdParams, executionJson, flowOf, loadExecution, parseLabels } from './execution-common.ts';

const ROLE_RANK = { viewer: 0, runner: 1, editor: 2, admin: 3 } as const;

/**
 * The namespaces (each with those below it) the caller may view, within the `namespace` asked for;
 * undefined when nothing restricts the search. Role patterns `company.*` and `company` both hold
 * `company` and what is below it (see roles.ts).
 */
export const viewableWithin = (req: FastifyRequest, asked?: string): string[] | undefined => {
  const bases = (req.principal?.bindings ?? [])
    .filter((b) => ROLE_RANK[b.role] >= ROLE_RANK.viewer)
    .map((b) => (b.namespace.endsWith('.*') ? b.namespace.slice(0, -2) : b.namespace));
  const everything = bases.includes('*');
  if (asked === undefined) return everything ? undefined : bases;
  if (everything || bases.some((b) => namespaceMatches(b, asked))) return [asked];
  // Only parts of what was asked for are visible: the caller's namespaces below it.
  return bases.filter((b) => namespaceMatches(asked, b));
};

/** The search's filters, shared with the bulk actions `.../by-query` (executions-bulk.ts). */
export const ExecutionFilterQuery = {
  namespace: Type.Optional(Type.String({ description: 'The namespace and those below it' })),
  flowId: Type.Optional(Type.String()),
  state: Type.Optional(Type.Array(Type.Union(STATES.map((s) => Type.Literal(s))))),
  labels: Type.Optional(Type.Array(Type.String(), { description: "Labels as 'key:value'" })),
  startDate: Type.Optional(Type.String({ format: 'date-time' })),
  endDate: Type.Optional(Type.String({ format: 'date-time' })),
  timeRange: Type.Optional(Type.String({ description: 'ISO-8601 duration before now, e.g. PT5M or P1D' })),
};

const SearchQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  size: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  ...ExecutionFilterQuery,
});

type FilterQuery = {
  namespace?: string;
  flowId?: string;
  state?: string[];
  labels?: string[];
  startDate?: string;
  endDate?: string;
  timeRange?: string;
};

/** The store's filter for the search's query parameters, within what the caller may view. */
export const executionFilterOf = (req: FastifyRequest, q: FilterQuery): ExecutionFilter => ({
  flowId: q.flowId,
  states: q.state as State[] | undefined,
  labels: q.labels ? parseLabels(q.labels) : undefined,
  since: sinceOf(q),
  until: q.endDate,
  namespaces: viewableWithin(req, q.namespace),
});

const sinceOf = (query: { startDate?: string; timeRange?: string }): string | undefined => {
  if (query.timeRange === undefined) return query.startDate;
  if (query.startDate !== undefined)
    throw new HttpError(400, "Parameters 'startDate' and 'timeRange' are mutually exclusive");
  const ms = durationMs(query.timeRange);
  if (ms === undefined)
    throw new HttpError(400, `timeRange: '${query.timeRange}' is not an ISO-8601 duration`);
  return new Date(Date.now() - ms).toISOString();
};

/** Flows of listed executions, read once per revision: they say which inputs are SECRET. */
const flowCache = (ctx: ServerContext) => {
  const cache = new Map<string, Promise<Flow | undefined>>();
  return (e: { namespace: string; flowId: string; flowRevision: number }) => {
    const key = `${e.namespace}\n${e.flowId}\n${e.flowRevision}`;
    let flow = cache.get(key);
    if (!flow) {
      flow = flowOf(ctx, e as never);
      cache.set(key, flow);
    }
    return flow;
  };
};

export const readExecutionRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/executions/search',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags: ['Executions'], summary: 'Search for executions', querystring: SearchQuery },
    },
    async (req) => {
      const q = req.query;
      const filter = executionFilterOf(req, q);
      const [rows, total] = await Promise.all([
        ctx.engine.store.listExecutions({ ...filter, limit: q.size, offset: (q.page - 1) * q.size }),
        ctx.engine.store.countExecutions(filter),
      ]);
      const flowFor = flowCache(ctx);
      const results = await Promise.all(
        rows.map(async (e) => toKestraListed(e, ctx.engine.cipher, await flowFor(e))),
      );
      return { results, total };
    },
  );

  app.get(
    '/executions/:executionId',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags: ['Executions'], summary: 'Get an execution', params: ExecutionIdParams },
    },
    async (req) => executionJson(ctx, await loadExecution(ctx, req, req.params.executionId, 'viewer')),
  );
};
