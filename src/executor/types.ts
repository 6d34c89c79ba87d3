/**
 * The executor's contract: a pure function from (flow, execution, events, now) to (new execution, side
 * effects). No I/O happens inside; `src/executor/service.ts` is the shell that claims events from the
 * store, calls `reduce`, writes the result in one transaction and carries out the side effects.
 * One exception to purity, for cost: `reduce` takes over the execution's task-run array and updates it
 * in place (the new execution shares it), so that a step costs what it changes, not the size of the
 * execution. Keep only the execution it returns; if it throws, the one given is left as it was.
 *
 * Glossary
 * - Event: something that happened to an execution (a worker finished a task, a timer came due, an
 *   operator asked to kill). Events are queue messages addressed to the executor.
 * - Side effect: something the shell must do after the write commits (hand a job to a worker, schedule
 *   a timer, start a subflow execution, tell a parent execution its subflow ended).
 * - Timer: an event scheduled for later (retry wait, pause delay or timeout, WaitFor check interval,
 *   SLA deadline). It is an executor queue message with a future `availableAt`.
 */
import type { Execution, LogEntry, State, TaskRun } from '../execution/types.ts';
import type { Flow, Task } from '../flow/types.ts';
import type { SecretCipher } from '../secrets/encryption.ts';
import type { TaskEffect } from '../tasks/types.ts';

export type ExecutorEvent =
  /** The execution was created and may start (the shell has applied the flow's concurrency limit). */
  | { type: 'start' }
  /** The execution waits for a concurrency slot (concurrency.behavior QUEUE). */
  | { type: 'queue' }
  /** Concurrency limit reached with behavior CANCEL or FAIL. */
  | { type: 'reject'; state: 'CANCELLED' | 'FAILED'; reason: string }
  /** A worker took a job: the task run is RUNNING with a new attempt. */
  | { type: 'task-started'; taskRunId: string; attempt: number; workerId: string }
  /** A worker finished an attempt (or failed to run it). */
  | {
      type: 'task-result';
      taskRunId: string;
      attempt: number;
      state: 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED';
      outputs?: Record<string, unknown>;
      effects?: TaskEffect[];
      error?: string;
      /** False when the failure cannot be mended by retrying (bad configuration). */
      retryable?: boolean;
      /** Secrets the attempt obtained that the execution did not know yet, encrypted (see seal.ts). */
      secrets?: string[];
    }
  /** A timer came due. `key` says which (see TimerKind); `taskRunId` when it concerns one task run. */
  | { type: 'timer'; timer: TimerKind; taskRunId?: string; due: number }
  | { type: 'kill' }
  | { type: 'pause' }
  /** Resume a PAUSED execution (all paused task runs), with `onResume` inputs already validated. */
  | { type: 'resume'; inputs?: Record<string, unknown> }
  /** A subflow execution started by a Subflow/ForEachItem task run ended or was created. */
  | {
      type: 'subflow-update';
      taskRunId: string;
      childExecutionId: string;
      state: State;
      outputs?: Record<string, unknown>;
      /** ForEachItem: index of the batch. */
      iteration?: number;
      /**
       * Set when the child could not be created (flow missing or disabled, invalid inputs): the child
       * execution does not exist, `childExecutionId` names nothing and `state` is FAILED.
       */
      error?: string;
      /**
       * The child's `outputs` variable (taskId → task outputs, see `runIndex(...).outputs()`), sent with the
       * terminal update: a Subflow task's `outputs` property is rendered against it.
       */
      taskOutputs?: Record<string, unknown>;
      /** The child's known secrets (encrypted): its outputs may carry them, sealed. */
      secrets?: string[];
    }
  /** Operator: force a task run into a state (Kestra's "change status"). */
  | { type: 'set-task-run-state'; taskRunId: string; state: 'SUCCESS' | 'WARNING' | 'FAILED' }
  /** Operator: restart a failed execution in place (new attempts for failed task runs). */
  | { type: 'restart' };

export type TimerKind =
  | 'retry'
  | 'pause-delay'
  | 'pause-timeout'
  | 'task-timeout'
  | 'waitfor-check'
  | 'sla-max-duration'
  | 'flow-retry';

export type SideEffect =
  /** Hand a runnable task run to a worker. `task` is the raw (unrendered) task definition. */
  | {
      kind: 'dispatch';
      taskRun: TaskRun;
      task: Task;
      attempt: number;
      /** Set for children of a WorkingDirectory: they share this folder key. */
      workingDirectory?: string;
    }
  /** Cancel a running worker job (kill, timeout). */
  | { kind: 'cancel-job'; taskRunId: string }
  /** Deliver `event` to this execution at `at` (epoch ms). */
  | { kind: 'timer'; at: number; event: ExecutorEvent }
  /** Create and start a child execution. */
  | {
      kind: 'start-subflow';
      parentTaskRunId: string;
      namespace: string;
      flowId: string;
      revision?: number;
      inputs: Record<string, unknown>;
      labels: { key: string; value: string }[];
      /** Whether the parent task run waits for the child to end (and receives its outputs). */
      wait: boolean;
      /** ForEachItem batch index. */
      iteration?: number;
      /** Inherited by the child as `trigger` variables. */
      trigger: { id: string; type: string; variables: Record<string, unknown> };
      /** The parent's known secrets (encrypted): `inputs` may carry them, sealed (see seal-step.ts). */
      secrets?: string[];
    }
  /** Kill other executions (subflows of a killed execution). */
  | { kind: 'kill-execution'; executionId: string }
  /** Create a new execution of the same flow (flow retry with CREATE_NEW_EXECUTION). */
  /** `at`: when the new attempt starts (epoch ms), after the flow retry policy's interval. */
  | { kind: 'new-execution-attempt'; fromExecutionId: string; at?: number }
  | { kind: 'log'; entry: LogEntry };

export interface ReduceInput {
  flow: Flow;
  execution: Execution;
  events: ExecutorEvent[];
  /** Epoch milliseconds. */
  now: number;
  /** Produces unique ids for new task runs (injected so that tests are deterministic). */
  newId: () => string;
  /** The engine's key, for what the step seals or opens (SECRET inputs and outputs, secrets passed on). */
  cipher: SecretCipher;
  /** The engine's `envs` (ENV_ variables, see envVariables), read by expressions of the step. */
  envs: Readonly<Record<string, string>>;
}

export interface ReduceOutput {
  execution: Execution;
  /** Task runs created or changed by this step (to upsert). */
  changedTaskRuns: TaskRun[];
  effects: SideEffect[];
}
