/**
 * Operations that make or change execution records rather than send the executor an event: replay (a
 * new execution copying an ended one up to a task run, as `baton replay`), labels of an ended
 * execution, and deletion (with its logs and, by default, its files). Audited.
 */
import { Type } from '@sinclair/typebox';
import { type Execution, isTerminal, type Label } from '../../execution/types.ts';
import { stripTaskRuns } from '../../executor/effects.ts';
import { replayExecution } from '../../executor/replay.ts';
import { newId } from '../../util/ids.ts';
import type { RouteModule } from '../context.ts';
import { HttpError } from '../errors.ts';
import { checkLabels, ExecutionIdParams, executionJson, loadExecution } from './execution-common.ts';

const LabelList = Type.Array(
  Type.Object({
    key: Type.String({ minLength: 1, maxLength: 200 }),
    value: Type.String({ maxLength: 1000 }),
  }),
  { maxItems: 100 },
);

/** The new labels with the execution's system labels kept (they are Baton's, as in Kestra). */
const withSystemLabels = (execution: Execution, labels: Label[]): Label[] => {
  const merged = new Map(labels.map((l) => [l.key, l.value]));
  for (const l of execution.labels)
    if (l.key.startsWith('system.') && !merged.has(l.key)) merged.set(l.key, l.value);
  return [...merged].map(([key, value]) => ({ key, value }));
};

export const editExecutionRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/executions/:executionId/replay',
    {
      config: { access: { role: 'runner' } },
      schema: {
        tags: ['Executions'],
        summary: 'Create a new execution from an ended one, run again from a task run',
        params: ExecutionIdParams,
        querystring: Type.Object({
          taskRunId: Type.Optional(
            Type.String({ minLength: 1, description: 'From this task run (the start if absent)' }),
          ),
        }),
      },
    },
    async (req) => {
      const original = await loadExecution(ctx, req, req.params.executionId, 'runner');
      if (!isTerminal(original.state.current))
        throw new HttpError(
          409,
          `execution ${original.id} is ${original.state.current}: only an ended execution can be replayed`,
        );
      const from = req.query.taskRunId ?? original.taskRuns[0]?.id;
      if (!from) throw new HttpError(422, `execution ${original.id} has no task run to replay from`);
      if (!original.taskRuns.some((tr) => tr.id === from))
        throw new HttpError(422, `taskRunId: execution ${original.id} has no task run '${from}'`);
      const copy = replayExecution(original, from, newId, Date.now());
      const { taskRuns, ...row } = copy;
      // The copy first, then the event that starts it: `send` wakes the executor at once (a message
      // written with the copy would wait for the executor's next poll).
      await ctx.engine.store.writeExecution({ execution: row, taskRuns });
      await ctx.engine.executor.send(copy.id, { type: 'restart' }, { own: true });
      await ctx.audit(req, {
        action: 'execution.replay',
        target: copy.id,
        namespace: original.namespace,
        details: { originalId: original.id, taskRunId: from },
      });
      return executionJson(ctx, copy);
    },
  );

  app.post(
    '/executions/:executionId/labels',
    {
      config: { access: { role: 'runner' } },
      schema: {
        tags: ['Executions'],
        summary: 'Set the labels of an ended execution',
        params: ExecutionIdParams,
        body: LabelList,
      },
    },
    async (req) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'runner');
      if (!isTerminal(execution.state.current))
        throw new HttpError(
          400,
          `execution ${execution.id} is ${execution.state.current}: the execution is not terminated`,
        );
      // System labels may be sent back as they are (Kestra's UI sends all labels), never changed.
      checkLabels(req.body, 'labels', execution.labels);
      const labels = withSystemLabels(execution, req.body);
      const changed = { ...execution, labels, version: (execution.version ?? 0) + 1 };
      await ctx.engine.store.writeExecution({ execution: stripTaskRuns(changed) });
      await ctx.audit(req, {
        action: 'execution.labels',
        target: execution.id,
        namespace: execution.namespace,
        details: { labels },
      });
      return executionJson(ctx, changed);
    },
  );

  app.delete(
    '/executions/:executionId',
    {
      config: { access: { role: 'editor' } },
      schema: {
        tags: ['Executions'],
        summary: 'Delete an ended execution with its logs and metrics',
        params: ExecutionIdParams,
        querystring: Type.Object({
          deleteStorage: Type.Boolean({
            default: true,
            description: 'Delete its files in internal storage too',
          }),
        }),
      },
    },
    async (req, reply) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'editor');
      // A running execution is still the executor's: killed first, it can be deleted once it ended.
      if (!isTerminal(execution.state.current))
        throw new HttpError(409, `execution ${execution.id} is ${execution.state.current}: kill it first`);
      await ctx.engine.store.deleteExecutions([execution.id]);
      if (req.query.deleteStorage)
        await ctx.engine.storage.deleteExecutionFiles({
          namespace: execution.namespace,
          flowId: execution.flowId,
          executionId: execution.id,
        });
      await ctx.audit(req, {
        action: 'execution.delete',
        target: execution.id,
        namespace: execution.namespace,
      });
      return reply.status(204).send();
    },
  );
};
