/**
 * The executor's spans. An execution outlives the processes that drive it, so its span is not held
 * open anywhere: whoever creates an execution makes a short `create execution` span and puts the
 * execution's span context (its trace id, and a span id derived from the execution id) in the
 * execution's first queue message; every message of the execution carries it on (`traceparent`), each
 * executor step is a span under it, and the step that sees the execution settle writes the `execution`
 * span itself, from the execution's creation date to now. Task runs are written the same way when they
 * end, so that attempts (on any worker) are their children. Holding the span open in the creating
 * process instead would lose it whenever that process stops before the execution ends.
 */

import type { Execution } from '../execution/types.ts';
import { isTerminal } from '../execution/types.ts';
import type { ExecutionWrite, NewQueueMessage, QueueMessage } from '../store/types.ts';
import {
  creationSpanId,
  currentTraceparent,
  executionSpanId,
  sibling,
  startSpan,
  type TraceSpan,
  taskRunSpanId,
  tracingOn,
} from '../tracing/tracing.ts';
import type { PreparedStep } from './service-options.ts';

type Payload = Record<string, unknown> & { traceparent?: string };

const withTraceparent = (message: NewQueueMessage, traceparent: string): NewQueueMessage => {
  const payload = message.payload as Payload | undefined;
  if (!payload || typeof payload !== 'object' || payload.traceparent) return message;
  return { ...message, payload: { ...payload, traceparent } };
};

/**
 * A new execution, about to be written: its `create execution` span (under the current request's, if
 * any) and the trace context in its first message.
 */
export const traceCreation = <T extends { execution: Execution; write: ExecutionWrite }>(prepared: T): T => {
  if (tracingOn()) stampCreation(prepared.execution, prepared.write);
  return prepared;
};

const stampCreation = (execution: Execution, write: ExecutionWrite): void => {
  const span = startSpan({
    name: 'create execution',
    kind: 'producer',
    parent: currentTraceparent(),
    spanId: creationSpanId(execution.id),
    attributes: executionAttributes(execution),
  });
  span.end();
  const traceparent = sibling(span.traceparent, executionSpanId(execution.id));
  if (!traceparent) return;
  write.enqueue = (write.enqueue ?? []).map((m) =>
    m.executionId === execution.id ? withTraceparent(m, traceparent) : m,
  );
};

const executionAttributes = (e: Execution) => ({
  'baton.namespace': e.namespace,
  'baton.flow_id': e.flowId,
  'baton.execution_id': e.id,
});

export interface StepTrace {
  /** The execution's span context, from its messages. */
  traceparent: string;
  span: TraceSpan;
}

/**
 * Takes the trace context out of a claimed group (the payloads go on to `reduce` without it) and
 * starts the step's span: from the earliest message's enqueue (its queue hop) to the step's commit.
 */
export const startStepTrace = (executionId: string, group: QueueMessage[]): StepTrace | undefined => {
  let traceparent: string | undefined;
  for (const m of group) {
    const payload = m.payload as Payload | undefined;
    if (payload && typeof payload === 'object' && 'traceparent' in payload) {
      traceparent ??= payload.traceparent;
      delete payload.traceparent;
    }
  }
  // Always the span of this execution (the context a message carries is its execution's).
  traceparent = sibling(traceparent, executionSpanId(executionId));
  if (!traceparent || !tracingOn()) return undefined;
  const span = startSpan({
    name: 'executor step',
    kind: 'consumer',
    parent: traceparent,
    startTime: Math.min(...group.map((m) => m.availableAt), Date.now()),
    attributes: {
      'baton.execution_id': executionId,
      'messaging.destination.name': 'executor',
      'messaging.batch.message_count': group.length,
      'baton.events': [...new Set(group.map((m) => (m.payload as Payload | undefined)?.type))].join(','),
    },
  });
  return { traceparent, span };
};

/** Before the step's write: what it enqueues for its own execution (jobs, timers...) and the executions it creates carry the trace on. */
export const stampStep = (step: PreparedStep & { trace?: StepTrace }): void => {
  const trace = step.trace;
  if (!trace || !step.write.enqueue) return;
  step.write.enqueue = step.write.enqueue.map((m) => {
    if (m.executionId === step.executionId) return withTraceparent(m, trace.traceparent);
    const type = (m.payload as Payload | undefined)?.type;
    // A subflow's news to its parent: the parent is of the same trace (it created the subflow in it).
    if (type === 'subflow-update') {
      const parent = sibling(trace.traceparent, executionSpanId(m.executionId));
      return parent ? withTraceparent(m, parent) : m;
    }
    if (type !== 'create-subflow') return m;
    // A subflow's execution is part of this trace: created under this step, as the api creates one
    // under its request.
    startSpan({
      name: 'create execution',
      kind: 'producer',
      parent: trace.span.traceparent,
      spanId: creationSpanId(m.executionId),
      attributes: { 'baton.execution_id': m.executionId, 'baton.parent_execution_id': step.executionId },
    }).end();
    const child = sibling(trace.traceparent, executionSpanId(m.executionId));
    return child ? withTraceparent(m, child) : m;
  });
};

/** After the step's commit (or its failure): ends its span, and writes the task runs and the execution that ended in it. */
export const endStepTrace = (step: PreparedStep & { trace?: StepTrace }, error?: Error): void => {
  const trace = step.trace;
  if (!trace) return;
  const after = step.after;
  trace.span.end({
    attributes: after ? { ...executionAttributes(after), state: after.state.current } : undefined,
    error: error?.message,
  });
  if (!after || error) return;
  const execSpan = sibling(trace.traceparent, executionSpanId(after.id));
  for (const run of step.changed) {
    if (!isTerminal(run.state.current)) continue;
    startSpan({
      name: `task ${run.taskId}`,
      parent: execSpan,
      spanId: taskRunSpanId(run.id),
      startTime: Date.parse(run.state.histories[0]?.date ?? run.state.startDate),
      attributes: {
        ...executionAttributes(after),
        'baton.task_id': run.taskId,
        'baton.task_run_id': run.id,
        'baton.attempt': run.attempts?.length ?? 0,
        state: run.state.current,
      },
    }).end({ error: run.state.current === 'FAILED' ? 'task run failed' : undefined });
  }
  if (!step.ended) return;
  startSpan({
    name: `execution ${after.namespace}.${after.flowId}`,
    parent: sibling(trace.traceparent, creationSpanId(after.id)),
    spanId: executionSpanId(after.id),
    startTime: Date.parse(after.state.histories[0]?.date ?? after.state.startDate),
    attributes: { ...executionAttributes(after), state: after.state.current },
  }).end({ error: after.state.current === 'FAILED' ? 'execution failed' : undefined });
};
