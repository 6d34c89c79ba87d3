/**
 * What the execution and log routes share: reading an execution the caller may act on, its flow, its
 * Kestra JSON, labels given as `key:value`, and the TypeBox schemas of their parameters.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Execution, isTerminal, type Label } from '../../execution/types.ts';
import type { Flow } from '../../flow/types.ts';
import { waitForExecution } from '../../runtime/wait.ts';
import type { Role } from '../../store/types.ts';
import { assertAllowed } from '../access.ts';
import type { ServerContext } from '../context.ts';
import { HttpError, notFound } from '../errors.ts';
import { type KestraExecution, toKestraExecution } from '../kestra/execution-json.ts';

export const ExecutionIdParams = Type.Object({ executionId: Type.String({ minLength: 1, maxLength: 200 }) });

/** The execution, if the caller has `role` on its namespace (404 when the caller may not even view it). */
export const loadExecution = async (
  ctx: ServerContext,
  req: FastifyRequest,
  id: string,
  role: Role,
): Promise<Execution> => {
  const execution = await ctx.engine.executor.getExecution(id);
  if (!execution) throw notFound('Execution');
  assertAllowed(req, role, execution.namespace, 'Execution');
  return execution;
};

/** The flow revision an execution runs; undefined when it is gone (deleted revisions). */
export const flowOf = (
  ctx: ServerContext,
  execution: Omit<Execution, 'taskRuns'>,
): Promise<Flow | undefined> =>
  ctx.engine.flows.get(execution.namespace, execution.flowId, execution.flowRevision).catch(() => undefined);

export const executionJson = async (ctx: ServerContext, execution: Execution): Promise<KestraExecution> => {
  const flow = await flowOf(ctx, execution);
  return toKestraExecution(execution, ctx.engine.cipher, flow);
};

/** Kestra's link to the execution in its UI (`url` of an execution created by the API). */
export const executionUrl = (execution: Pick<Execution, 'namespace' | 'flowId' | 'id'>): string =>
  `/ui/executions/${execution.namespace}/${execution.flowId}/${execution.id}`;

const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/;

/**
 * Labels given as Kestra's `key:value` query values. System labels (`system.`) are Kestra's own: only
 * `system.correlationId` may be given, as in Kestra.
 */
export const parseLabels = (values: readonly string[] | undefined, field = 'labels'): Label[] => {
  const out = new Map<string, string>();
  for (const text of values ?? []) {
    const at = text.indexOf(':');
    if (at <= 0) throw new HttpError(400, `${field}: '${text}' is not key:value`);
    out.set(text.slice(0, at), text.slice(at + 1));
  }
  const labels = [...out].map(([key, value]) => ({ key, value }));
  checkLabels(labels, field);
  return labels;
};

/**
 * Refuses malformed keys and system labels: at creation only `system.correlationId` may be given; on an
 * existing execution (`existing`), only its own system labels, unchanged.
 */
export const checkLabels = (
  labels: readonly Label[],
  field = 'labels',
  existing?: readonly Label[],
): void => {
  for (const l of labels) {
    if (!LABEL_KEY.test(l.key))
      throw new HttpError(
        400,
        `${field}: invalid label key '${l.key}' (letters, digits, '_', '-', '.', '/')`,
      );
    if (!l.key.startsWith('system.')) continue;
    const allowed = existing
      ? existing.some((a) => a.key === l.key && a.value === l.value)
      : l.key === 'system.correlationId';
    if (!allowed)
      throw new HttpError(
        400,
        `${field}: system labels can only be set by Baton itself, offending label: ${l.key}=${l.value}`,
      );
  }
};

/**
 * Waits for the execution's end for a caller that asked to (`wait=true`, a webhook with `wait: true`).
 * The client going away ends the wait and its listener; the execution goes on.
 */
export const waitForEnd = async (ctx: ServerContext, reply: FastifyReply, id: string): Promise<Execution> => {
  const gone = new AbortController();
  // The response's `close` before it is sent: the connection is gone.
  const onClose = () => gone.abort(new Error('client gone'));
  reply.raw.on('close', onClose);
  try {
    return await waitForExecution(ctx.engine.executor, id, (e) => isTerminal(e.state.current), gone.signal);
  } finally {
    reply.raw.off('close', onClose);
  }
};
