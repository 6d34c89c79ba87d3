/**
 * Flows, one at a time (Kestra's FlowController): create from YAML, get (with its source, at a revision),
 * update (a revision only when the source changed), delete (soft: revisions and executions are kept),
 * the revisions and the diff between two of them. Searches and bulk changes are in flows-bulk.ts.
 */
import { Type } from '@sinclair/typebox';
import { createTwoFilesPatch } from 'diff';
import { assertAllowed } from '../access.ts';
import type { RouteModule } from '../context.ts';
import { HttpError, notFound } from '../errors.ts';
import { flowJson, flowOrThrow } from '../flows/model.ts';
import { saveFlow } from '../flows/service.ts';

const TAGS = ['Flows'];
const YAML_TYPES = ['application/x-yaml', 'application/yaml', 'text/yaml', 'text/plain'];

export const FlowParams = Type.Object({
  namespace: Type.String({ description: 'The flow namespace' }),
  id: Type.String({ description: 'The flow id' }),
});
export const YamlBody = Type.String({ description: 'The flow source (YAML)' });

const flowName = (namespace: string, id: string) => `${namespace}.${id}`;

export const flowRoutes: RouteModule = (app, ctx) => {
  const store = ctx.engine.store;

  app.post(
    '/flows',
    {
      config: { access: { role: 'editor' } },
      schema: {
        tags: TAGS,
        summary: 'Create a flow from its YAML source',
        consumes: YAML_TYPES,
        body: YamlBody,
      },
    },
    async (req) => {
      const flow = flowOrThrow(req.body);
      assertAllowed(req, 'editor', flow.namespace);
      if (await store.getFlow(flow.namespace, flow.id))
        throw new HttpError(409, `Flow ${flowName(flow.namespace, flow.id)} already exists`, {
          code: 'CONFLICT',
        });
      const { stored } = await saveFlow(store, flow, req.body);
      await ctx.audit(req, {
        action: 'flow.create',
        target: flowName(flow.namespace, flow.id),
        namespace: flow.namespace,
        details: { revision: stored.revision },
      });
      return flowJson(stored, { source: true });
    },
  );

  app.put(
    '/flows/:namespace/:id',
    {
      config: { access: { role: 'editor', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'Update a flow from its YAML source (a new revision only when the source changed)',
        consumes: YAML_TYPES,
        params: FlowParams,
        body: YamlBody,
      },
    },
    async (req) => {
      const { namespace, id } = req.params;
      if (!(await store.getFlow(namespace, id))) throw notFound(`Flow ${flowName(namespace, id)}`);
      const flow = flowOrThrow(req.body);
      if (flow.namespace !== namespace || flow.id !== id)
        throw new HttpError(
          422,
          `Invalid flow: the source is flow ${flowName(flow.namespace, flow.id)}, the path ${flowName(namespace, id)}; ` +
            'the namespace and id of a flow cannot be changed',
          { code: 'INVALID_FLOW' },
        );
      const { stored, change } = await saveFlow(store, flow, req.body);
      if (change !== 'unchanged')
        await ctx.audit(req, {
          action: 'flow.update',
          target: flowName(namespace, id),
          namespace,
          details: { revision: stored.revision },
        });
      return flowJson(stored, { source: true });
    },
  );

  app.get(
    '/flows/:namespace/:id',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'Get a flow',
        params: FlowParams,
        querystring: Type.Object({
          source: Type.Optional(Type.Boolean({ description: 'Include the YAML source' })),
          revision: Type.Optional(
            Type.Integer({ minimum: 1, description: 'A revision (default: the latest)' }),
          ),
          allowDeleted: Type.Optional(Type.Boolean({ description: 'Answer a deleted flow too' })),
        }),
      },
    },
    async (req) => {
      const { namespace, id } = req.params;
      const { revision, source, allowDeleted } = req.query;
      const stored =
        (await store.getFlow(namespace, id, revision)) ??
        (allowDeleted && revision === undefined
          ? (await store.listRevisions(namespace, id)).at(-1)
          : undefined);
      if (!stored || (stored.deleted && !allowDeleted))
        throw notFound(
          `Flow ${flowName(namespace, id)}${revision === undefined ? '' : ` revision ${revision}`}`,
        );
      return flowJson(stored, { source: source === true });
    },
  );

  app.delete(
    '/flows/:namespace/:id',
    {
      config: { access: { role: 'editor', namespace: 'param' } },
      schema: { tags: TAGS, summary: 'Delete a flow (its executions are kept)', params: FlowParams },
    },
    async (req, reply) => {
      const { namespace, id } = req.params;
      const stored = await store.getFlow(namespace, id);
      if (!stored) throw notFound(`Flow ${flowName(namespace, id)}`);
      await store.deleteFlow(namespace, id);
      await ctx.audit(req, {
        action: 'flow.delete',
        target: flowName(namespace, id),
        namespace,
        details: { revision: stored.revision },
      });
      return reply.status(204).send();
    },
  );

  app.get(
    '/flows/:namespace/:id/revisions',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'Every revision of a flow, with its source, oldest first',
        params: FlowParams,
        querystring: Type.Object({
          allowDelete: Type.Optional(
            Type.Boolean({ description: 'List the revisions of a deleted flow too' }),
          ),
        }),
      },
    },
    async (req) => {
      const { namespace, id } = req.params;
      const revisions = await store.listRevisions(namespace, id);
      return revisions
        .filter((r) => req.query.allowDelete || !r.deleted)
        .map((r) => flowJson(r, { source: true }));
    },
  );

  app.get(
    '/flows/:namespace/:id/revisions/diff',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'The unified diff between two revisions of a flow (text/plain)',
        params: FlowParams,
        querystring: Type.Object({
          from: Type.Integer({ minimum: 1, description: 'The older revision' }),
          to: Type.Optional(
            Type.Integer({ minimum: 1, description: 'The newer revision (default: the latest)' }),
          ),
        }),
      },
    },
    async (req, reply) => {
      const { namespace, id } = req.params;
      const revisions = await store.listRevisions(namespace, id);
      const find = (n: number) => {
        const r = revisions.find((x) => x.revision === n);
        if (!r) throw notFound(`Flow ${flowName(namespace, id)} revision ${n}`);
        return r;
      };
      const latest = revisions.at(-1);
      if (!latest) throw notFound(`Flow ${flowName(namespace, id)}`);
      const from = find(req.query.from);
      const to = find(req.query.to ?? latest.revision);
      const name = flowName(namespace, id);
      const patch = createTwoFilesPatch(
        `${name}@${from.revision}`,
        `${name}@${to.revision}`,
        from.source,
        to.source,
        `revision ${from.revision}`,
        `revision ${to.revision}`,
      );
      return reply.type('text/plain; charset=utf-8').send(patch);
    },
  );
};
