/**
 * `GET /executions/{executionId}/follow`: server-sent events, as Kestra sends them: a first event
 * `start` (the id only), then one `progress` event with the execution JSON per change, and `end` with
 * the final execution; the stream then closes.
 *
 * Changes come from the executor's `execution` event (every change this process makes). A change made
 * by another process (`--roles` split) is caught by a look at the store's version every RECHECK_MS.
 */
import { type Execution, isTerminal } from '../../execution/types.ts';
import type { Flow } from '../../flow/types.ts';
import type { RouteModule } from '../context.ts';
import { toKestraExecution } from '../kestra/execution-json.ts';
import { EventStream, eventStreams } from '../sse.ts';
import { ExecutionIdParams, flowOf, loadExecution } from './execution-common.ts';

/** How often a follower checks the store for changes this process did not make (another process's). */
const RECHECK_MS = 1_000;

export const followExecutionRoutes: RouteModule = (app, ctx) => {
  const streams = eventStreams(app, ctx);
  app.get(
    '/executions/:executionId/follow',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags: ['Executions'],
        summary: 'Follow an execution (server-sent events)',
        produces: ['text/event-stream'],
        params: ExecutionIdParams,
      },
    },
    async (req, reply) => {
      const { executionId } = req.params;
      // Checked before the stream opens: an unknown or hidden execution is a plain 404.
      const first = await loadExecution(ctx, req, executionId, 'viewer');
      const flow: Flow | undefined = await flowOf(ctx, first);
      const stream = new EventStream(reply, streams);
      const executor = ctx.engine.executor;
      let lastVersion = -1;
      let lastSent = '';
      // The executor changes task runs in place after emitting: the JSON is made at once, not later.
      const publish = (execution: Execution) => {
        if (stream.closed) return;
        lastVersion = execution.version ?? 0;
        const json = JSON.stringify(toKestraExecution(execution, ctx.engine.cipher, flow));
        const ended = isTerminal(execution.state.current);
        if (json !== lastSent || ended) stream.sendRaw(ended ? 'end' : 'progress', json);
        lastSent = json;
        if (ended) stream.end();
      };
      // Runs inside the executor's emit: nothing may be thrown back into its loop.
      const onExecution = (execution: Execution) => {
        if (execution.id !== executionId) return;
        try {
          publish(execution);
        } catch (error) {
          req.log.warn({ err: error, executionId }, 'following an execution');
          stream.end();
        }
      };
      const recheck = setInterval(() => {
        void ctx.engine.store.getExecutionVersion(executionId).then(
          async (version) => {
            if (stream.closed) return;
            if (version === undefined) return stream.end(); // deleted meanwhile
            if (version === lastVersion) return;
            const current = await executor.getExecution(executionId);
            if (current) publish(current);
          },
          () => undefined,
        );
      }, RECHECK_MS);
      executor.on('execution', onExecution);
      stream.onClose(() => {
        clearInterval(recheck);
        executor.off('execution', onExecution);
      });
      stream.send('start', { id: executionId });
      try {
        // Read again after subscribing: a change between the first read and the subscription is not lost.
        publish((await executor.getExecution(executionId)) ?? first);
      } catch (error) {
        req.log.warn({ err: error, executionId }, 'following an execution');
        stream.end();
      }
    },
  );
};
