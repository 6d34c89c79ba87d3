/**
 * The execution model: what one run of a flow looks like while it runs and after.
 *
 * Glossary
 * - Execution: one run of one flow revision. Holds inputs, labels, state history, task runs, outputs.
 * - Task run: one occurrence of a task inside an execution. A task inside a loop has one task run per
 *   loop value (`value`); flowable tasks (Sequential, Parallel, ForEach...) have task runs too.
 * - Attempt: one try of a task run. Retries add attempts to the same task run, not new task runs.
 * - State history: every state a thing went through, with the time it entered it. The last is current.
 * - Worker job: a runnable task run handed to a worker; results come back as a `WorkerResult`.
 */

/** Kestra's states, shared by executions, task runs and attempts. */
export const STATES = [
  'CREATED',
  'QUEUED',
  'RUNNING',
  'PAUSED',
  'RESTARTED',
  'KILLING',
  'KILLED',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'RETRYING',
  'RETRIED',
  'CANCELLED',
  'SKIPPED',
] as const;
export type State = (typeof STATES)[number];

/** States after which nothing more happens to the thing, unless an operator restarts it. */
export const TERMINAL_STATES: ReadonlySet<State> = new Set<State>([
  'KILLED',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'RETRIED',
  'CANCELLED',
  'SKIPPED',
]);

export const isTerminal = (s: State): boolean => TERMINAL_STATES.has(s);
/** A terminal state that counts as failure for the parent (Kestra's `isFailed`). */
export const isFailed = (s: State): boolean => s === 'FAILED' || s === 'KILLED';

export interface StateHistoryEntry {
  state: State;
  /** ISO-8601 instant. */
  date: string;
}

export interface StateHistory {
  current: State;
  startDate: string;
  endDate?: string;
  histories: StateHistoryEntry[];
}

export interface Label {
  key: string;
  value: string;
}

export interface Attempt {
  state: StateHistory;
  /** Worker that ran this attempt, for heartbeat-based recovery. */
  workerId?: string;
}

export interface TaskRun {
  id: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  /** Task run of the enclosing flowable task, if any. */
  parentTaskRunId?: string;
  /** Loop value (ForEach / EachSequential / EachParallel), as a string as Kestra does. */
  value?: string;
  /** Index of the loop iteration this task run belongs to, when inside a loop. */
  iteration?: number;
  /**
   * Set on the direct children of a Loop task run: the iteration they belong to (Kestra's `item`:
   * zero-based index, value as a string, key when the values were a map).
   */
  loopItem?: LoopItem;
  attempts: Attempt[];
  outputs?: Record<string, unknown>;
  state: StateHistory;
  /** Marks task runs created by an `errors` branch, `finally` branch or `afterExecution`. */
  branch?: 'errors' | 'finally' | 'afterExecution';
  /**
   * ForEachItem's `<id>_items` task run: the last state reported by each batch's child execution (null:
   * none yet), so that `iterations` moves each batch from one state to the next. Not an output.
   */
  batchStates?: (State | null)[];
}

export interface LoopItem {
  index: number;
  value: string;
  key?: string;
}

export interface ExecutionTrigger {
  id: string;
  type: string;
  variables: Record<string, unknown>;
}

export interface Execution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: StateHistory;
  inputs: Record<string, unknown>;
  labels: Label[];
  /**
   * Execution variables once a SetVariables / UnsetVariables task changed them: the whole `vars` map
   * from then on (the flow's variables as rendered then, merged with the new ones). Absent until then:
   * `vars` are the flow's variables.
   */
  variables?: Record<string, unknown>;
  trigger?: ExecutionTrigger;
  /** Set on subflow executions: the execution and task run that started it. */
  parentId?: string;
  /** Set on subflow executions: the parent's task run that waits for this one. */
  parentTaskRunId?: string;
  /** Set on replays and CREATE_NEW_EXECUTION retries: the execution this one copies. */
  originalId?: string;
  outputs?: Record<string, unknown>;
  taskRuns: TaskRun[];
  /** Flow-level attempt number (flow `retry`), starting at 1. */
  attemptNumber: number;
  scheduleDate?: string;
  /**
   * Bumped by every executor step. An executor keeps executions it drives in memory and checks this
   * against the store before a step, so a change made by another process (a resume, a kill) is seen.
   */
  version?: number;
  /** Error that ended the execution without a task to blame (bad flow outputs, SLA...). */
  error?: string;
  /**
   * Values its tasks obtained from `secret()` (and its SECRET flow outputs), each one encrypted: what
   * every later log line and display of the execution masks (see src/secrets/seal.ts).
   */
  secrets?: string[];
}

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

export interface LogEntry {
  executionId: string;
  taskRunId?: string;
  taskId?: string;
  attemptNumber?: number;
  namespace: string;
  flowId: string;
  level: LogLevel;
  message: string;
  /** ISO-8601 instant. */
  timestamp: string;
}

export interface MetricEntry {
  executionId: string;
  taskRunId?: string;
  taskId?: string;
  name: string;
  type: 'counter' | 'timer';
  value: number;
  tags: Record<string, string>;
  timestamp: string;
}
