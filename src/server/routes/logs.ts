/**
 * Logs of an execution, in Kestra's LogEntry shape: the list (`GET /logs/{executionId}` with minLevel,
 * taskRunId, taskId, attempt), a text download, and a follow stream (server-sent events: `start`, then
 * one `progress` event per line) that ends once the execution ended and its last lines were sent.
 * The execution's known secrets are masked in every line (the worker masks them when it writes; a
 * secret learnt later is masked here too).
 */
import { Type } from '@sinclair/typebox';
import { type Execution, isTerminal, LOG_LEVELS, type LogLevel } from '../../execution/types.ts';
import { knownSecrets } from '../../secrets/seal.ts';
import type { StoredLog } from '../../store/types.ts';
import type { RouteModule, ServerContext } from '../context.ts';
import { toKestraLog } from '../kestra/execution-json.ts';
import { EventStream, eventStreams } from '../sse.ts';
import { ExecutionIdParams, flowOf, loadExecution } from './execution-common.ts';

/** Lines read per query: a long log is read page by page, never all in one statement. */
const PAGE = 2_000;
/**
 * How often a follower looks for new lines. Workers write lines without telling this process (another
 * process may run the task): a quarter second keeps a followed log close to live at little cost.
 */
const FOLLOW_POLL_MS = 250;

const LogQuery = Type.Object({
  minLevel: Type.Optional(Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)))),
  taskRunId: Type.Optional(Type.String()),
  taskId: Type.Optional(Type.String()),
  attempt: Type.Optional(Type.Integer({ minimum: 0 })),
});

interface LogSelection {
  executionId: string;
  minLevel?: LogLevel;
  taskRunId?: string;
  taskId?: string;
  attempt?: number;
}

/** Reads the selected lines after `afterSeq`, page by page, handing each page to `page`. */
const readLogs = async (
  ctx: ServerContext,
  sel: LogSelection,
  afterSeq: number,
  page: (lines: StoredLog[]) => void | Promise<void>,
): Promise<number> => {
  let seq = afterSeq;
  for (;;) {
    const lines = await ctx.engine.store.queryLogs({
      executionId: sel.executionId,
      minLevel: sel.minLevel,
      taskRunId: sel.taskRunId,
      taskId: sel.taskId,
      afterSeq: seq,
      limit: PAGE,
    });
    if (lines.length === 0) return seq;
    seq = lines.at(-1)!.seq;
    await page(sel.attempt === undefined ? lines : lines.filter((l) => l.attemptNumber === sel.attempt));
    if (lines.length < PAGE) return seq;
  }
};

const secretsOf = async (ctx: ServerContext, execution: Execution) =>
  knownSecrets(await flowOf(ctx, execution), execution, ctx.engine.cipher);

const LOG_SCHEMA = { tags: ['Logs'], params: ExecutionIdParams, querystring: LogQuery };

export const logRoutes: RouteModule = (app, ctx) => {
  const streams = eventStreams(app, ctx);

  app.get(
    '/logs/:executionId',
    {
      config: { access: { role: 'viewer' } },
      schema: { ...LOG_SCHEMA, summary: 'Logs of an execution, a task run or a task' },
    },
    async (req) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'viewer');
      const known = await secretsOf(ctx, execution);
      const out: ReturnType<typeof toKestraLog>[] = [];
      await readLogs(ctx, { executionId: req.params.executionId, ...req.query }, 0, (lines) => {
        for (const l of lines) out.push(toKestraLog(l, known));
      });
      return out;
    },
  );

  app.get(
    '/logs/:executionId/download',
    {
      config: { access: { role: 'viewer' } },
      schema: { ...LOG_SCHEMA, summary: 'Logs of an execution as text', produces: ['text/plain'] },
    },
    async (req, reply) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'viewer');
      const known = await secretsOf(ctx, execution);
      const text: string[] = [];
      await readLogs(ctx, { executionId: req.params.executionId, ...req.query }, 0, (lines) => {
        for (const l of lines) {
          const e = toKestraLog(l, known);
          text.push(`${e.timestamp} ${e.level.padEnd(5)} ${e.taskId ?? '-'} ${e.message}\n`);
        }
      });
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${execution.id}.log"`)
        .send(text.join(''));
    },
  );

  app.get(
    '/logs/:executionId/follow',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        ...LOG_SCHEMA,
        summary: 'Follow the logs of an execution (server-sent events)',
        produces: ['text/event-stream'],
      },
    },
    async (req, reply) => {
      const first = await loadExecution(ctx, req, req.params.executionId, 'viewer');
      const flow = await flowOf(ctx, first);
      const sel: LogSelection = { executionId: req.params.executionId, ...req.query };
      const stream = new EventStream(reply, streams);
      const executor = ctx.engine.executor;
      let afterSeq = 0;
      let busy = false;
      let again = false;
      const poll = async () => {
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        try {
          do {
            again = false;
            // The state is read before the lines: lines are written before the execution ends, so
            // once it is seen ended, the read that follows has them all.
            const execution = await executor.getExecution(sel.executionId);
            const known = execution ? knownSecrets(flow, execution, ctx.engine.cipher) : [];
            afterSeq = await readLogs(ctx, sel, afterSeq, (lines) => {
              for (const l of lines) stream.send('progress', toKestraLog(l, known));
            });
            if (!execution || isTerminal(execution.state.current)) return stream.end();
          } while (again && !stream.closed);
        } catch {
          stream.end();
        } finally {
          busy = false;
        }
      };
      const timer = setInterval(() => void poll(), FOLLOW_POLL_MS);
      const onExecution = (e: Execution) => {
        if (e.id === sel.executionId) void poll();
      };
      executor.on('execution', onExecution);
      stream.onClose(() => {
        clearInterval(timer);
        executor.off('execution', onExecution);
      });
      stream.send('start', {});
      await poll();
    },
  );
};
