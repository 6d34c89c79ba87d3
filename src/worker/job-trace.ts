/**
 * A job's spans, when traces are on and its message carries the execution's trace context: its queue
 * hop (`receive worker`, from enqueue to claim) and the attempt, both children of the task run's span
 * (written by the executor when the task run ends, with a span id derived from the task run's id).
 */
import type { Execution } from '../execution/types.ts';
import type { QueueMessage } from '../store/types.ts';
import { sibling, startSpan, taskRunSpanId, tracingOn } from '../tracing/tracing.ts';
import type { WorkerJobPayload } from './types.ts';

export interface AttemptTrace {
  describe(execution: Execution): void;
  end(state: string, error?: string): void;
}

const NONE: AttemptTrace = { describe: () => undefined, end: () => undefined };

export const startAttemptTrace = (
  message: QueueMessage,
  payload: WorkerJobPayload,
  workerId: string,
): AttemptTrace => {
  if (!tracingOn()) return NONE;
  const parent = sibling(payload.traceparent, taskRunSpanId(payload.taskRunId));
  if (!parent) return NONE;
  const attributes = {
    'baton.execution_id': payload.executionId,
    'baton.task_id': payload.task.id,
    'baton.task_run_id': payload.taskRunId,
    'baton.attempt': payload.attempt,
    'baton.worker_id': workerId,
  };
  startSpan({
    name: 'receive worker',
    kind: 'consumer',
    parent,
    startTime: Math.min(message.availableAt, Date.now()),
    attributes: { ...attributes, 'messaging.destination.name': 'worker' },
  }).end();
  const span = startSpan({ name: `attempt ${payload.task.id}`, parent, attributes });
  let described: Record<string, string> = {};
  return {
    describe: (e) => {
      described = { 'baton.namespace': e.namespace, 'baton.flow_id': e.flowId };
    },
    end: (state, error) => span.end({ attributes: { ...described, state }, error }),
  };
};
