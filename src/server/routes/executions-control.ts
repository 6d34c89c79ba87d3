/**
 * Operator commands on a running (or failed) execution, each an executor event as `baton kill`,
 * `resume` and `restart` send it (src/cli/operate.ts): kill, pause, resume (with `onResume` inputs,
 * validated here), restart, and changing a task run's state. They need the runner role on the
 * execution's namespace and are audited.
 */
import { Type } from '@sinclair/typebox';
import { type Execution, isTerminal } from '../../execution/types.ts';
import { findTaskInFlow } from '../../executor/context.ts';
import type { ExecutorEvent } from '../../executor/types.ts';
import { resolveInputs } from '../../flow/index.ts';
import type { Flow, Input } from '../../flow/types.ts';
import { waitForExecution } from '../../runtime/wait.ts';
import type { RouteModule, ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { readInputs } from '../execution-inputs.ts';
import { ExecutionIdParams, executionJson, flowOf, loadExecution } from './execution-common.ts';

/**
 * How long restart and change-of-state wait for the executor to take the event into account before
 * answering (Kestra answers with the changed execution). Bounded: with the executor in another process
 * that is slow or stopped, the client gets the execution as it is rather than a hung request.
 */
const STEP_WAIT_MS = 5_000;

/** The execution once the executor made a step past `version`, or as it is after STEP_WAIT_MS. */
const afterStep = async (ctx: ServerContext, before: Execution): Promise<Execution> => {
  const version = before.version ?? 0;
  try {
    return await waitForExecution(
      ctx.engine.executor,
      before.id,
      (e) => (e.version ?? 0) > version,
      AbortSignal.timeout(STEP_WAIT_MS),
    );
  } catch {
    return (await ctx.engine.executor.getExecution(before.id)) ?? before;
  }
};

const conflict = (execution: Execution, what: string) =>
  new HttpError(409, `execution ${execution.id} is ${execution.state.current}: ${what}`);

/** The `onResume` inputs of the execution's paused Pause tasks. */
const resumeInputsOf = (flow: Flow | undefined, execution: Execution): Input[] => {
  if (!flow) return [];
  const defs: Input[] = [];
  for (const tr of execution.taskRuns) {
    if (tr.state.current !== 'PAUSED') continue;
    const task = findTaskInFlow(flow, tr.taskId);
    if (Array.isArray(task?.onResume)) defs.push(...(task.onResume as Input[]));
  }
  return defs;
};

export const controlExecutionRoutes: RouteModule = (app, ctx) => {
  const send = (id: string, event: ExecutorEvent) => ctx.engine.executor.send(id, event, { own: true });

  app.delete(
    '/executions/:executionId/kill',
    {
      config: { access: { role: 'runner' } },
      schema: { tags: ['Executions'], summary: 'Kill an execution', params: ExecutionIdParams },
    },
    async (req, reply) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'runner');
      if (isTerminal(execution.state.current))
        throw conflict(execution, "it is already finished, can't kill it");
      await send(execution.id, { type: 'kill' });
      await ctx.audit(req, {
        action: 'execution.kill',
        target: execution.id,
        namespace: execution.namespace,
      });
      return reply.status(202).send();
    },
  );

  app.post(
    '/executions/:executionId/pause',
    {
      config: { access: { role: 'runner' } },
      schema: { tags: ['Executions'], summary: 'Pause a running execution', params: ExecutionIdParams },
    },
    async (req, reply) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'runner');
      if (execution.state.current !== 'RUNNING')
        throw conflict(execution, 'only a RUNNING execution can be paused');
      await send(execution.id, { type: 'pause' });
      await ctx.audit(req, {
        action: 'execution.pause',
        target: execution.id,
        namespace: execution.namespace,
      });
      return reply.status(204).send();
    },
  );

  app.post(
    '/executions/:executionId/resume',
    {
      config: { access: { role: 'runner' } },
      schema: {
        tags: ['Executions'],
        summary: 'Resume a paused execution, with the inputs of its Pause tasks (onResume)',
        consumes: ['multipart/form-data', 'application/json'],
        params: ExecutionIdParams,
      },
    },
    async (req, reply) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'runner');
      if (execution.state.current !== 'PAUSED')
        throw conflict(execution, 'only a PAUSED execution can be resumed');
      const declared = resumeInputsOf(await flowOf(ctx, execution), execution);
      const read = await readInputs(req, ctx.engine.storage, {
        namespace: execution.namespace,
        flowId: execution.flowId,
        executionId: execution.id,
        declared,
      });
      let inputs: Record<string, unknown> | undefined;
      if (declared.length > 0) {
        const { values, errors } = resolveInputs({ inputs: declared } as Flow, read.values, {
          // Uploaded files are stored already (readInputs); text for a FILE input is refused.
          storeFile: (id, value) => {
            if (typeof value === 'string' && value.startsWith('kestra:///')) return value;
            throw new Error(`a FILE input of a resume needs an uploaded file (input ${id})`);
          },
        });
        if (errors.length > 0) throw new HttpError(422, errors.map((e) => e.message).join('\n'));
        inputs = values;
      } else if (Object.keys(read.values).length > 0) inputs = read.values;
      await send(execution.id, { type: 'resume', inputs });
      await ctx.audit(req, {
        action: 'execution.resume',
        target: execution.id,
        namespace: execution.namespace,
        details: inputs ? { inputs: Object.keys(inputs) } : undefined,
      });
      return reply.status(204).send();
    },
  );

  app.post(
    '/executions/:executionId/restart',
    {
      config: { access: { role: 'runner' } },
      schema: { tags: ['Executions'], summary: 'Restart a failed execution', params: ExecutionIdParams },
    },
    async (req) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'runner');
      if (execution.state.current !== 'FAILED' && execution.state.current !== 'KILLED')
        throw conflict(execution, 'only FAILED or KILLED executions can be restarted');
      await send(execution.id, { type: 'restart' });
      await ctx.audit(req, {
        action: 'execution.restart',
        target: execution.id,
        namespace: execution.namespace,
      });
      return executionJson(ctx, await afterStep(ctx, execution));
    },
  );

  app.post(
    '/executions/:executionId/state',
    {
      config: { access: { role: 'runner' } },
      schema: {
        tags: ['Executions'],
        summary: 'Change the state of a task run of an execution',
        params: ExecutionIdParams,
        body: Type.Object({
          taskRunId: Type.String({ minLength: 1 }),
          state: Type.Union([Type.Literal('SUCCESS'), Type.Literal('WARNING'), Type.Literal('FAILED')]),
        }),
      },
    },
    async (req) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'runner');
      const { taskRunId, state } = req.body;
      if (!execution.taskRuns.some((tr) => tr.id === taskRunId))
        throw new HttpError(422, `taskRunId: execution ${execution.id} has no task run '${taskRunId}'`);
      if (!isTerminal(execution.state.current) && execution.state.current !== 'PAUSED')
        throw conflict(execution, "a task run's state can be changed once the execution ended or paused");
      await send(execution.id, { type: 'set-task-run-state', taskRunId, state });
      await ctx.audit(req, {
        action: 'execution.task-run-state',
        target: execution.id,
        namespace: execution.namespace,
        details: { taskRunId, state },
      });
      return executionJson(ctx, await afterStep(ctx, execution));
    },
  );
};
