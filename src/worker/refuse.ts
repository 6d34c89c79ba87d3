/**
 * Jobs a worker must not run (pure): one it cannot read (a damaged queue row), and one delivered again
 * and again without ever finishing, because the process running it died each time (a task that kills
 * or hangs its worker). Each is moved aside into the dead letters instead of being retried forever, and
 * the executor is told, in the same write, so that the execution does not wait for it for good.
 */
import type { ExecutorMessage } from '../executor/messages.ts';
import type { ExecutorEvent } from '../executor/types.ts';
import type { ExecutionWrite, QueueMessage } from '../store/types.ts';
import type { WorkerJobPayload } from './types.ts';

/**
 * Deliveries of one job after which it is refused. A job is delivered again only when the worker
 * holding it stopped without reporting (crash, kill -9, Ctrl-C twice): a few such restarts are normal,
 * ten in a row mean the job itself brings its process down.
 */
export const MAX_JOB_DELIVERIES = 10;

const isJob = (p: unknown): p is WorkerJobPayload => {
  const j = p as Partial<WorkerJobPayload> | null;
  return (
    typeof j === 'object' &&
    j !== null &&
    typeof j.executionId === 'string' &&
    typeof j.taskRunId === 'string' &&
    typeof j.attempt === 'number' &&
    typeof j.task === 'object' &&
    j.task !== null
  );
};

/** The write that moves a job aside instead of running it, or undefined when it may run. */
export const refusal = (message: QueueMessage): ExecutionWrite | undefined => {
  if (message.unreadable || !isJob(message.payload)) {
    const reason = `worker job ${message.id} cannot be read: ${message.unreadable ?? 'not a job'}`;
    return {
      deadLetters: [{ messageId: message.id, error: reason }],
      enqueue: [
        {
          queue: 'executor',
          executionId: message.executionId,
          payload: { type: 'unrecoverable', reason } satisfies ExecutorMessage,
        },
      ],
    };
  }
  if (message.attempts <= MAX_JOB_DELIVERIES) return undefined;
  const job = message.payload;
  const error = `the task was started ${message.attempts} times without finishing: the process running it stopped each time (it may crash or exhaust its worker)`;
  return {
    deadLetters: [{ messageId: message.id, error }],
    enqueue: [
      {
        queue: 'executor',
        executionId: job.executionId,
        payload: {
          type: 'task-result',
          taskRunId: job.taskRunId,
          attempt: job.attempt + message.attempts - 1,
          state: 'FAILED',
          error,
          retryable: false,
        } satisfies ExecutorEvent,
      },
    ],
  };
};
