/**
 * Flows many at a time (Kestra's FlowController): search with paging, a namespace's flows, validation
 * of a multi-document body, replacing a namespace's flows, and the bulk enable / disable / delete
 * endpoints by ids or by query. Lists show only the flows of namespaces the caller may view.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { parse } from 'yaml';
import { splitYamlDocuments } from '../../flow/documents.ts';
import type { StoredFlow } from '../../store/types.ts';
import { allowed, assertAllowed } from '../access.ts';
import type { RouteModule, ServerContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { checkFlow, describeProblem, flowJson } from '../flows/model.ts';
import { type FlowQuery, flowFilter, page, sortFlows, sortList } from '../flows/search.ts';
import { checkNamespaceDocuments, replaceNamespace, setDisabled } from '../flows/service.ts';

const TAGS = ['Flows'];
const YAML_TYPES = ['application/x-yaml', 'application/yaml', 'text/yaml', 'text/plain'];

const QUERY_FIELDS = {
  q: Type.Optional(Type.String({ description: 'Text found in the id, namespace or description' })),
  namespace: Type.Optional(Type.String({ description: 'A namespace, its sub-namespaces included' })),
  labels: Type.Optional(Type.Array(Type.String(), { description: "Labels as 'key:value'" })),
};
// `filters[field][operation]=value` parameters are read from the rest of the query (see flows/search.ts).
const FlowQuerySchema = Type.Object(QUERY_FIELDS, { additionalProperties: true });

const SearchQuery = Type.Object(
  {
    page: Type.Integer({ minimum: 1, default: 1, description: 'The page, from 1' }),
    size: Type.Integer({ minimum: 1, maximum: 10_000, default: 10, description: 'Flows per page' }),
    sort: Type.Optional(Type.Array(Type.String(), { description: "'field:asc' or 'field:desc'" })),
    ...QUERY_FIELDS,
  },
  { additionalProperties: true },
);

const FlowIds = Type.Array(Type.Object({ namespace: Type.String(), id: Type.String() }), {
  description: 'The flows, by namespace and id',
});

const flowName = (f: { namespace: string; id: string }) => `${f.namespace}.${f.id}`;

/** The live flows matching a query, of namespaces where the caller has `role`. */
const matching = async (
  ctx: ServerContext,
  req: FastifyRequest,
  query: FlowQuery,
  role: 'viewer' | 'editor',
): Promise<StoredFlow[]> => {
  // Every live flow is read and filtered here: enough for the embedded store's scale (thousands of
  // flows); a store-side query is for the PostgreSQL backend.
  const filter = flowFilter(query);
  return (await ctx.engine.store.listFlows()).filter((f) => allowed(req, role, f.namespace) && filter(f));
};

/** The flows named in a bulk body, each checked for `editor` before anything changes. */
const byIds = async (ctx: ServerContext, req: FastifyRequest, ids: Static<typeof FlowIds>) => {
  const flows: StoredFlow[] = [];
  for (const { namespace, id } of ids) {
    assertAllowed(req, 'editor', namespace, 'Flow');
    const stored = await ctx.engine.store.getFlow(namespace, id);
    if (!stored) throw notFound(`Flow ${namespace}.${id}`);
    flows.push(stored);
  }
  return flows;
};

/** The fields of a document that could not be validated, when they can still be read. */
const identity = (source: string): { flow?: string; namespace?: string } => {
  try {
    const doc = parse(source) as { id?: unknown; namespace?: unknown } | null;
    return {
      ...(typeof doc?.id === 'string' ? { flow: doc.id } : {}),
      ...(typeof doc?.namespace === 'string' ? { namespace: doc.namespace } : {}),
    };
  } catch {
    return {};
  }
};

export const flowBulkRoutes: RouteModule = (app, ctx) => {
  const store = ctx.engine.store;

  app.get(
    '/flows/search',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags: TAGS, summary: 'Search flows', querystring: SearchQuery },
    },
    async (req) => {
      const { page: pageNumber, size, sort, ...query } = req.query;
      const flows = sortFlows(await matching(ctx, req, query, 'viewer'), sortList(sort));
      return { results: page(flows, pageNumber, size).map((f) => flowJson(f)), total: flows.length };
    },
  );

  app.get(
    '/flows/:namespace',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'The flows of a namespace (not of its sub-namespaces)',
        params: Type.Object({ namespace: Type.String() }),
      },
    },
    async (req) => (await store.listFlows(req.params.namespace)).map((f) => flowJson(f)),
  );

  app.post(
    '/flows/validate',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags: TAGS,
        summary: 'Validate flows (several YAML documents separated by ---); nothing is saved',
        consumes: YAML_TYPES,
        body: Type.String({ description: 'One or more flow sources separated by --- lines' }),
      },
    },
    async (req) =>
      splitYamlDocuments(req.body).map((document, index) => {
        const checked = checkFlow(document);
        const base = {
          index,
          ...(checked.ok
            ? { flow: checked.flow.id, namespace: checked.flow.namespace }
            : identity(document.source)),
          outdated: false,
          deprecationPaths: [] as string[],
          warnings: [] as string[],
          infos: [] as string[],
        };
        if (checked.ok) return base;
        return {
          ...base,
          constraints: checked.problems.map(describeProblem).join('\n'),
          errors: checked.problems.map((p) => ({ ...p, detail: p.message })),
        };
      }),
  );

  app.post(
    '/flows/:namespace',
    {
      config: { access: { role: 'editor', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary:
          "Replace a namespace's flows from YAML documents separated by ---: each is created or updated and, " +
          'with delete=true (the default), the flows of the namespace absent from the body are deleted. ' +
          'Every flow is checked first; if one is invalid nothing changes.',
        consumes: YAML_TYPES,
        params: Type.Object({ namespace: Type.String() }),
        querystring: Type.Object({ delete: Type.Boolean({ default: true }) }),
        body: Type.String({ description: 'The flow sources separated by --- lines' }),
      },
    },
    async (req) => {
      const { namespace } = req.params;
      const documents = checkNamespaceDocuments(namespace, splitYamlDocuments(req.body));
      const changes = await replaceNamespace(store, namespace, documents, req.query.delete);
      for (const { stored, change } of changes) {
        if (change === 'unchanged') continue;
        await ctx.audit(req, {
          action: change === 'deleted' ? 'flow.delete' : change === 'created' ? 'flow.create' : 'flow.update',
          target: flowName(stored),
          namespace,
          details: { revision: stored.revision, via: 'namespace update' },
        });
      }
      return changes.map(({ stored }) => flowJson(stored));
    },
  );

  const toggle = async (req: FastifyRequest, flows: StoredFlow[], disabled: boolean) => {
    let count = 0;
    for (const flow of flows) {
      const saved = await setDisabled(store, flow, disabled);
      if (!saved) continue;
      count++;
      await ctx.audit(req, {
        action: disabled ? 'flow.disable' : 'flow.enable',
        target: flowName(flow),
        namespace: flow.namespace,
        details: { revision: saved.revision },
      });
    }
    return { count };
  };

  const remove = async (req: FastifyRequest, flows: StoredFlow[]) => {
    for (const flow of flows) {
      await store.deleteFlow(flow.namespace, flow.id);
      await ctx.audit(req, {
        action: 'flow.delete',
        target: flowName(flow),
        namespace: flow.namespace,
        details: { revision: flow.revision },
      });
    }
    return { count: flows.length };
  };

  for (const [action, disabled] of [
    ['enable', false],
    ['disable', true],
  ] as const) {
    app.post(
      `/flows/${action}/by-ids`,
      {
        config: { access: { role: 'editor' } },
        schema: {
          tags: TAGS,
          summary: `${action === 'enable' ? 'Enable' : 'Disable'} flows by id (a new revision each)`,
          body: FlowIds,
        },
      },
      async (req) => toggle(req, await byIds(ctx, req, req.body), disabled),
    );
    app.post(
      `/flows/${action}/by-query`,
      {
        config: { access: { role: 'editor' } },
        schema: {
          tags: TAGS,
          summary: `${action === 'enable' ? 'Enable' : 'Disable'} the flows matching a query`,
          querystring: FlowQuerySchema,
        },
      },
      async (req) => toggle(req, await matching(ctx, req, req.query, 'editor'), disabled),
    );
  }

  app.delete(
    '/flows/delete/by-ids',
    {
      config: { access: { role: 'editor' } },
      schema: { tags: TAGS, summary: 'Delete flows by id', body: FlowIds },
    },
    async (req) => remove(req, await byIds(ctx, req, req.body)),
  );
  app.delete(
    '/flows/delete/by-query',
    {
      config: { access: { role: 'editor' } },
      schema: { tags: TAGS, summary: 'Delete the flows matching a query', querystring: FlowQuerySchema },
    },
    async (req) => remove(req, await matching(ctx, req, req.query, 'editor')),
  );
};
