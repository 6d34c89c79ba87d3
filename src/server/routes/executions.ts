/**
 * Creating executions: `POST /executions/{namespace}/{id}` with multipart/form-data inputs (files too)
 * or a JSON object of inputs, `labels=key:value` (repeatable), `revision`, and `wait=true` to answer
 * with the ended execution instead of the created one.
 */
import { Type } from '@sinclair/typebox';
import type { Execution } from '../../execution/types.ts';
import { newId } from '../../util/ids.ts';
import type { RouteModule } from '../context.ts';
import { readInputs } from '../execution-inputs.ts';
import { executionJson, executionUrl, parseLabels, waitForEnd } from './execution-common.ts';

export const createExecutionRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/executions/:namespace/:id',
    {
      config: { access: { role: 'runner', namespace: 'param' } },
      schema: {
        tags: ['Executions'],
        summary: 'Create a new execution for a flow',
        consumes: ['multipart/form-data', 'application/json'],
        params: Type.Object({ namespace: Type.String({ minLength: 1 }), id: Type.String({ minLength: 1 }) }),
        querystring: Type.Object({
          labels: Type.Optional(Type.Array(Type.String(), { description: "Labels as 'key:value'" })),
          wait: Type.Optional(
            Type.Boolean({ default: false, description: 'Answer once the execution ended' }),
          ),
          revision: Type.Optional(
            Type.Integer({ minimum: 1, description: 'The flow revision (latest if absent)' }),
          ),
        }),
      },
    },
    async (req, reply) => {
      const { namespace, id } = req.params;
      const labels = parseLabels(req.query.labels);
      const flow = await ctx.engine.flows.get(namespace, id, req.query.revision);
      const executionId = newId();
      const ref = { namespace, flowId: id, executionId };
      let storedFiles = false;
      let execution: Execution;
      try {
        const read = await readInputs(req, ctx.engine.storage, { ...ref, declared: flow.inputs ?? [] });
        storedFiles = read.storedFiles;
        execution = await ctx.engine.executor.createExecution({
          id: executionId,
          flow,
          revision: flow.revision ?? 1,
          inputs: read.values,
          labels,
          // Who started it is committed with it: the audit line cannot be lost in a crash.
          audit: [
            ctx.auditEntry(req, {
              action: 'execution.create',
              target: executionId,
              namespace,
              details: { flowId: id, revision: flow.revision ?? 1 },
            }),
          ],
        });
      } catch (error) {
        // Nothing was created: the files uploaded for it go too.
        if (storedFiles) await ctx.engine.storage.deleteExecutionFiles(ref).catch(() => undefined);
        throw error;
      }
      if (req.query.wait) execution = await waitForEnd(ctx, reply, executionId);
      return { ...(await executionJson(ctx, execution)), url: executionUrl(execution) };
    },
  );
};
