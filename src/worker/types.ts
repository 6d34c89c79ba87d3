/**
 * The worker's own types. What a task implementation sees (`TaskRunContext`) is the tasks' API, in
 * `src/tasks/context.ts`: the worker implements it.
 *
 * Glossary
 * - Job: one attempt of one runnable task run, claimed by a worker from the `worker` queue.
 * - Slot: the worker runs at most `slots` jobs at once.
 * - Idempotency key: `<executionId>:<taskRunId>:<attempt>`; stable across re-deliveries of the same attempt,
 *   so a task that talks to the outside world can deduplicate.
 */
import type { Execution, TaskRun } from '../execution/types.ts';
import type { Flow, Task } from '../flow/types.ts';

/**
 * Payload of a `worker` queue message: one attempt of one runnable task run. `task` is the raw task as
 * written in the flow (rendered by the worker just before it runs).
 */
export interface WorkerJobPayload {
  type: 'job';
  executionId: string;
  taskRunId: string;
  attempt: number;
  task: Task;
  /** Set for children of a WorkingDirectory: they share the folder with this key. */
  workingDirectory?: string;
  /** The execution's trace context (W3C), when traces are on: see src/tracing/tracing.ts. */
  traceparent?: string;
  /**
   * The execution's version written with this job: the executor's copy at that version is the state the
   * job was decided on, which a worker in its process takes without asking the store (see embedded.ts).
   */
  version?: number;
}

/** What the worker needs to run a job, found by the lead's `loadJob` (executor cache or store). */
export interface LoadedJob {
  flow: Flow;
  execution: Execution;
  task: Task;
  taskRun: TaskRun;
}
