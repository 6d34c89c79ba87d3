/**
 * Kill and restart many executions at once, as Kestra's ExecutionController: by ids (the body, a list of
 * ids) or by query (the search's filters as query parameters). Each execution is handled on its own: one
 * that cannot be killed or restarted (finished, not failed, not the caller's to act on, unknown) is
 * reported in `errors` and the others go on. The answer is Kestra's BulkResponse `{ count }`, with those
 * errors. Each action is audited as the single-execution routes audit it.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { type Execution, isTerminal } from '../../execution/types.ts';
import type { ExecutorEvent } from '../../executor/types.ts';
import { allowed } from '../access.ts';
import type { RouteModule, ServerContext } from '../context.ts';
import { ExecutionFilterQuery, executionFilterOf } from './executions-read.ts';

const TAGS = ['Executions'];

/**
 * The most executions one `by-query` call acts on. Without a bound, a query matching a whole history
 * would hold the request (and the executor's queue) for minutes; the client repeats the call for more.
 */
const QUERY_LIMIT = 1_000;

const Ids = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  minItems: 1,
  maxItems: QUERY_LIMIT,
  description: 'Execution ids',
});
const ByQuery = Type.Object(ExecutionFilterQuery);

interface BulkError {
  id: string;
  message: string;
}
export interface BulkResult {
  count: number;
  errors?: BulkError[];
}

type Kind = 'kill' | 'restart';

/** Why `kind` cannot apply to the execution, or undefined when it can. */
const refusal = (kind: Kind, e: Pick<Execution, 'state'>): string | undefined => {
  const state = e.state.current;
  if (kind === 'kill')
    return isTerminal(state) ? `execution is ${state}: it is already finished, can't kill it` : undefined;
  return state === 'FAILED' || state === 'KILLED'
    ? undefined
    : `execution is ${state}: only FAILED or KILLED executions can be restarted`;
};

const apply = async (
  ctx: ServerContext,
  req: FastifyRequest,
  kind: Kind,
  executions: (Pick<Execution, 'id' | 'namespace' | 'state'> | { id: string; missing: true })[],
): Promise<BulkResult> => {
  const errors: BulkError[] = [];
  let count = 0;
  for (const e of executions) {
    // A missing execution and one the caller may not view answer alike: its existence is not told.
    if ('missing' in e || !allowed(req, 'viewer', e.namespace)) {
      errors.push({ id: e.id, message: 'Execution not found' });
      continue;
    }
    if (!allowed(req, 'runner', e.namespace)) {
      errors.push({ id: e.id, message: `runner role needed on namespace ${e.namespace}` });
      continue;
    }
    const why = refusal(kind, e);
    if (why) {
      errors.push({ id: e.id, message: why });
      continue;
    }
    try {
      const event: ExecutorEvent = { type: kind };
      await ctx.engine.executor.send(e.id, event, { own: true });
      await ctx.audit(req, {
        action: `execution.${kind}`,
        target: e.id,
        namespace: e.namespace,
        details: { bulk: true },
      });
      count++;
    } catch (error) {
      errors.push({ id: e.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return errors.length > 0 ? { count, errors } : { count };
};

const byIds = async (ctx: ServerContext, ids: readonly string[]) =>
  Promise.all(
    [...new Set(ids)].map(
      async (id) => (await ctx.engine.executor.getExecution(id)) ?? { id, missing: true as const },
    ),
  );

/**
 * The executions matching the query that `kind` applies to, in namespaces where the caller is a runner:
 * matching executions that are finished (kill) or did not fail (restart) are not errors, only not
 * concerned.
 */
const byQuery = async (
  ctx: ServerContext,
  req: FastifyRequest,
  kind: Kind,
  query: Static<typeof ByQuery>,
) => {
  const rows = await ctx.engine.store.listExecutions({
    ...executionFilterOf(req, query),
    limit: QUERY_LIMIT,
  });
  return rows.filter((e) => allowed(req, 'runner', e.namespace) && refusal(kind, e) === undefined);
};

export const bulkExecutionRoutes: RouteModule = (app, ctx) => {
  app.delete(
    '/executions/kill/by-ids',
    {
      config: { access: { role: 'runner' } },
      schema: { tags: TAGS, summary: 'Kill a list of executions', body: Ids },
    },
    async (req) => apply(ctx, req, 'kill', await byIds(ctx, req.body)),
  );
  app.delete(
    '/executions/kill/by-query',
    {
      config: { access: { role: 'runner' } },
      schema: {
        tags: TAGS,
        summary: `Kill the running executions matching a query (at most ${QUERY_LIMIT} a call)`,
        querystring: ByQuery,
      },
    },
    async (req) => apply(ctx, req, 'kill', await byQuery(ctx, req, 'kill', req.query)),
  );
  app.post(
    '/executions/restart/by-ids',
    {
      config: { access: { role: 'runner' } },
      schema: { tags: TAGS, summary: 'Restart a list of failed or killed executions', body: Ids },
    },
    async (req) => apply(ctx, req, 'restart', await byIds(ctx, req.body)),
  );
  app.post(
    '/executions/restart/by-query',
    {
      config: { access: { role: 'runner' } },
      schema: {
        tags: TAGS,
        summary: `Restart the failed or killed executions matching a query (at most ${QUERY_LIMIT} a call)`,
        querystring: ByQuery,
      },
    },
    async (req) => apply(ctx, req, 'restart', await byQuery(ctx, req, 'restart', req.query)),
  );
};
