/**
 * Triggers, as Kestra's TriggerController: search (every trigger of every flow the caller may see,
 * with its state), a flow's triggers, enable/disable (`PUT /triggers` with `disabled`, or
 * `set-disabled/by-triggers`), unlock, and the backfill of a Schedule (`PUT /triggers` with
 * `backfill`; pause, unpause, delete). Viewers list; editors change, and each change is audited.
 * The scheduler sees a change at its next cycle (within a second).
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Flow, Trigger } from '../../flow/types.ts';
import type { TriggerKey, TriggerState } from '../../store/types.ts';
import { setTriggerDisabled, updateTriggerState } from '../../triggers/store-state.ts';
import { allowed, assertAllowed } from '../access.ts';
import type { RouteModule, ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import {
  abstractTriggerJson,
  backfillOf,
  isBackfillable,
  triggerContextJson,
  triggerOf,
} from './trigger-model.ts';

const tags = ['Triggers'];

const TriggerRef = Type.Object(
  {
    namespace: Type.String({ minLength: 1 }),
    flowId: Type.String({ minLength: 1 }),
    triggerId: Type.String({ minLength: 1 }),
    disabled: Type.Optional(Type.Boolean()),
    backfill: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object(
          {
            start: Type.String({ description: 'ISO-8601 date-time of the first tick to replay.' }),
            end: Type.Optional(
              Type.Union([Type.String(), Type.Null()], { description: 'Last tick; now by default.' }),
            ),
            inputs: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
            labels: Type.Optional(
              Type.Union([
                Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
                Type.Record(Type.String(), Type.String()),
                Type.Null(),
              ]),
            ),
          },
          { additionalProperties: true },
        ),
      ]),
    ),
  },
  {
    additionalProperties: true,
    description: 'A trigger (Kestra trigger context): its key, and what to change.',
  },
);
type TriggerRefBody = Static<typeof TriggerRef>;

const Key = Type.Object({ namespace: Type.String(), flowId: Type.String(), triggerId: Type.String() });
const FlowKey = Type.Object({ namespace: Type.String(), flowId: Type.String() });
const Paging = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  size: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
};

const latestFlow = async (ctx: ServerContext, namespace: string, flowId: string): Promise<Flow | undefined> =>
  ctx.engine.flows.get(namespace, flowId).catch(() => undefined);

const keyOf = (b: { namespace: string; flowId: string; triggerId: string }): TriggerKey => ({
  namespace: b.namespace,
  flowId: b.flowId,
  triggerId: b.triggerId,
});

/** The flow's trigger, after checking the caller's role on its namespace (404 if it may not see it). */
const resolve = async (
  req: FastifyRequest,
  ctx: ServerContext,
  key: TriggerKey,
  role: 'viewer' | 'editor',
): Promise<{ flow: Flow; trigger: Trigger }> => {
  assertAllowed(req, role, key.namespace, 'Trigger');
  const flow = await latestFlow(ctx, key.namespace, key.flowId);
  return { flow: flow as Flow, trigger: triggerOf(flow, key.namespace, key.flowId, key.triggerId) };
};

const contextOf = async (ctx: ServerContext, key: TriggerKey, trigger: Trigger) =>
  triggerContextJson(key, await ctx.engine.store.getTriggerState(key), trigger);

const changeBackfill = async (
  ctx: ServerContext,
  key: TriggerKey,
  change: (s: TriggerState) => TriggerState['backfill'],
): Promise<void> => {
  await updateTriggerState(ctx.engine.store, key, (current) => {
    if (!current?.backfill) throw new HttpError(400, 'No backfill found');
    const { updatedAt: _u, version: _v, ...rest } = current;
    return { ...rest, backfill: change(current) };
  });
};

export const triggerRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/triggers/search',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags,
        summary: 'Search for triggers',
        querystring: Type.Object({
          ...Paging,
          q: Type.Optional(Type.String({ description: 'Part of a namespace, flow id or trigger id.' })),
          namespace: Type.Optional(Type.String({ description: 'A namespace, with its sub-namespaces.' })),
          flowId: Type.Optional(Type.String()),
        }),
      },
    },
    async (req) => {
      const { page, size, q, namespace, flowId } = req.query;
      const states = new Map(
        (await ctx.engine.store.listTriggerStates()).map((s) => [
          `${s.namespace}/${s.flowId}/${s.triggerId}`,
          s,
        ]),
      );
      const rows: { abstractTrigger: Record<string, unknown>; triggerContext: unknown }[] = [];
      for (const stored of await ctx.engine.store.listFlows()) {
        if (stored.deleted || !allowed(req, 'viewer', stored.namespace)) continue;
        if (namespace && stored.namespace !== namespace && !stored.namespace.startsWith(`${namespace}.`))
          continue;
        if (flowId && stored.id !== flowId) continue;
        const flow = await ctx.engine.flows
          .get(stored.namespace, stored.id, stored.revision)
          .catch(() => undefined);
        for (const trigger of flow?.triggers ?? []) {
          const key = { namespace: stored.namespace, flowId: stored.id, triggerId: trigger.id };
          if (q && ![key.namespace, key.flowId, key.triggerId].some((s) => s.includes(q))) continue;
          rows.push({
            abstractTrigger: abstractTriggerJson(trigger),
            triggerContext: triggerContextJson(
              key,
              states.get(`${key.namespace}/${key.flowId}/${key.triggerId}`),
              trigger,
            ),
          });
        }
      }
      return { results: rows.slice((page - 1) * size, page * size), total: rows.length };
    },
  );

  app.get(
    '/triggers/:namespace/:flowId',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags,
        summary: 'Get all triggers for a flow',
        params: FlowKey,
        querystring: Type.Object(Paging),
      },
    },
    async (req) => {
      const { namespace, flowId } = req.params;
      const flow = await latestFlow(ctx, namespace, flowId);
      if (!flow) throw new HttpError(404, `Flow ${namespace}.${flowId} not found`);
      const results = [];
      for (const trigger of flow.triggers ?? [])
        results.push(await contextOf(ctx, { namespace, flowId, triggerId: trigger.id }, trigger));
      const { page, size } = req.query;
      return { results: results.slice((page - 1) * size, page * size), total: results.length };
    },
  );

  app.put(
    '/triggers',
    {
      config: { access: { role: 'editor' } },
      schema: { tags, summary: 'Update a trigger: enable/disable it, or start a backfill', body: TriggerRef },
    },
    async (req) => {
      const body = req.body as TriggerRefBody;
      const key = keyOf(body);
      const { trigger } = await resolve(req, ctx, key, 'editor');
      if (body.backfill) {
        if (!isBackfillable(trigger))
          throw new HttpError(
            400,
            `trigger ${key.triggerId} is a ${trigger.type}: only schedules can be backfilled`,
          );
        const backfillBody = body.backfill as Record<string, unknown>;
        await updateTriggerState(ctx.engine.store, key, (current) => {
          const backfill = backfillOf(backfillBody, current, Date.now());
          const {
            updatedAt: _u,
            version: _v,
            ...rest
          } = current ?? { ...key, disabled: false, updatedAt: '', version: 0 };
          return { ...rest, backfill };
        });
        await ctx.audit(req, {
          action: 'trigger.backfill',
          target: `${key.namespace}.${key.flowId}.${key.triggerId}`,
          namespace: key.namespace,
          details: { start: backfillBody.start, end: backfillBody.end ?? null },
        });
      } else if (typeof body.disabled === 'boolean') {
        await setTriggerDisabled(ctx.engine.store, key, body.disabled);
        await ctx.audit(req, {
          action: body.disabled ? 'trigger.disable' : 'trigger.enable',
          target: `${key.namespace}.${key.flowId}.${key.triggerId}`,
          namespace: key.namespace,
        });
      }
      return contextOf(ctx, key, trigger);
    },
  );

  app.post(
    '/triggers/set-disabled/by-triggers',
    {
      config: { access: { role: 'editor' } },
      schema: {
        tags,
        summary: 'Disable/enable given triggers',
        body: Type.Object({ triggers: Type.Array(TriggerRef, { minItems: 1 }), disabled: Type.Boolean() }),
      },
    },
    async (req) => {
      // Every trigger is checked before any is changed: a refused one changes nothing.
      const keys = req.body.triggers.map(keyOf);
      for (const key of keys) await resolve(req, ctx, key, 'editor');
      for (const key of keys) {
        await setTriggerDisabled(ctx.engine.store, key, req.body.disabled);
        await ctx.audit(req, {
          action: req.body.disabled ? 'trigger.disable' : 'trigger.enable',
          target: `${key.namespace}.${key.flowId}.${key.triggerId}`,
          namespace: key.namespace,
        });
      }
      return { count: keys.length };
    },
  );

  app.post(
    '/triggers/:namespace/:flowId/:triggerId/unlock',
    {
      config: { access: { role: 'editor', namespace: 'param' } },
      schema: { tags, summary: 'Unlock a trigger', params: Key },
    },
    async (req) => {
      const key = keyOf(req.params);
      const { trigger } = await resolve(req, ctx, key, 'editor');
      await updateTriggerState(ctx.engine.store, key, (current) => {
        if (!current?.executionId || !current.lockedAt) throw new HttpError(409, 'Trigger is not locked');
        const { updatedAt: _u, version: _v, ...rest } = current;
        return { ...rest, executionId: undefined, lockedAt: undefined };
      });
      await ctx.audit(req, {
        action: 'trigger.unlock',
        target: `${key.namespace}.${key.flowId}.${key.triggerId}`,
        namespace: key.namespace,
      });
      return contextOf(ctx, key, trigger);
    },
  );

  const backfillAction = (
    path: string,
    method: 'PUT' | 'POST',
    summary: string,
    action: string,
    paused?: boolean,
  ) =>
    app.route({
      method,
      url: path,
      config: { access: { role: 'editor' } },
      schema: { tags, summary, body: TriggerRef },
      handler: async (req) => {
        const key = keyOf(req.body as TriggerRefBody);
        const { trigger } = await resolve(req, ctx, key, 'editor');
        await changeBackfill(ctx, key, (s) =>
          paused === undefined ? undefined : { ...s.backfill!, paused },
        );
        await ctx.audit(req, {
          action,
          target: `${key.namespace}.${key.flowId}.${key.triggerId}`,
          namespace: key.namespace,
        });
        return contextOf(ctx, key, trigger);
      },
    });
  backfillAction('/triggers/backfill/pause', 'PUT', 'Pause a backfill', 'trigger.backfill.pause', true);
  backfillAction('/triggers/backfill/unpause', 'PUT', 'Unpause a backfill', 'trigger.backfill.resume', false);
  backfillAction('/triggers/backfill/delete', 'POST', 'Delete a backfill', 'trigger.backfill.delete');
};
