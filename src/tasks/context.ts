/**
 * What a runnable task implementation sees: the tasks' own API, which the worker implements and which a
 * custom task type (see `createBaton({ tasks })`) is written against. Implementations live in
 * `src/tasks/<group>/<name>.run.ts` and export `run(ctx, props)`; `./runners.ts` maps each canonical type
 * to its module.
 */
import type { Execution, MetricEntry, TaskRun } from '../execution/types.ts';
import type { RenderContext } from '../expression/index.ts';
import type { Flow, FlowError, Task } from '../flow/types.ts';
import type { LocalStorage } from '../storage/local.ts';
import type { Store, StoredFlow } from '../store/types.ts';
import type { TaskLogger, TaskResult } from './types.ts';

export interface TaskRunContext {
  flow: Flow;
  execution: Execution;
  taskRun: TaskRun;
  /** The raw task as written in the flow (properties unrendered). */
  task: Task;
  /** Attempt number, starting at 1. */
  attempt: number;
  idempotencyKey: string;
  /** Variables for expressions (inputs, outputs, vars, taskrun...). */
  variables: RenderContext;
  /**
   * Renders a value written in the flow (deep; strings that are exactly one `{{ }}` keep their type), with
   * extra variables on top of `variables` (e.g. Count's `count`). `kv()`, `read()`, `fileSize()`,
   * `fileExists()`, `errorLogs()` and jq are looked up asynchronously: nothing blocks the process.
   */
  renderAsync(value: unknown, extraVariables?: Record<string, unknown>): Promise<unknown>;
  renderStringAsync(template: string, extraVariables?: Record<string, unknown>): Promise<string>;
  /**
   * Runs `render` — synchronous code calling `render`/`renderWith`/`renderString`, repeatable — until every
   * lookup it makes is answered (see Lookups); returns its result. For schema-directed renders (renderProps).
   */
  withLookups<T>(render: () => T): Promise<T>;
  /**
   * Synchronous renders. They read what was already looked up for this job (the worker's render of the
   * properties); another `kv()`/`read()`... fails (use the async forms) and jq blocks with a short limit.
   */
  render(value: unknown): unknown;
  renderString(template: string): string;
  renderWith(value: unknown, extraVariables: Record<string, unknown>): unknown;
  logger: TaskLogger;
  metric(name: string, value: number, type?: MetricEntry['type'], tags?: Record<string, string>): void;
  /**
   * Tells the worker that this attempt started a process leading its own process group (`pgid`), as the
   * script tasks do: it is recorded with the job, so that if `baton` dies, the attempt that takes the
   * job over ends that group before running the task again. Never rejects (failures are reported by
   * the worker). Absent where nothing takes jobs over (tests).
   */
  processStarted?(pgid: number): Promise<void>;
  /** Aborted on timeout or kill: implementations must stop promptly when it fires. */
  signal: AbortSignal;
  /** A folder for this job's files, removed afterwards (shared by the children of a WorkingDirectory). */
  workingDir: string;
  store: Store;
  storage: LocalStorage;
  /** Secret values by key (already decoded); the logger masks them. */
  secret(key: string): string;
  /** Asks the executor to resume another (paused) execution. */
  resumeExecution(executionId: string, inputs?: Record<string, unknown>): Promise<void>;
  /** The flows of the engine, for tasks that deploy flows (`git.SyncFlows`); see `TaskFlows`. */
  flows: TaskFlows;
}

/**
 * Reading and changing the engine's flows from a task. Sources are checked with the engine's own task
 * types (custom ones included) before anything is saved; every change is recorded in the audit log with
 * the execution as actor. Implemented by the worker over the store (src/worker/task-flows.ts).
 */
export interface TaskFlows {
  /** Parses and validates a source; `errors` locate each problem (line, column, property path). */
  check(source: string, file: string): { flow?: Flow; errors: FlowError[] };
  /** The live flows of `namespace`, and of its child namespaces (`a.b` under `a`) with `children`. */
  list(namespace: string, opts?: { children?: boolean }): Promise<StoredFlow[]>;
  /**
   * Saves a source (checked again: an invalid one throws a TaskError); a new revision only when the text
   * changed. `change` says what happened to the live flow.
   */
  save(source: string): Promise<{ stored: StoredFlow; change: 'created' | 'updated' | 'unchanged' }>;
  /** Deletes a flow (its revisions stay as history); nothing when it does not exist. */
  delete(namespace: string, id: string): Promise<void>;
}

export type RunFunction<P = Record<string, unknown>> = (ctx: TaskRunContext, props: P) => Promise<TaskResult>;

/** The module a runnable task implementation exports (`src/tasks/<group>/<name>.run.ts`). */
export interface RunnableModule {
  /** Typed by each module with its own props; the worker calls it with the rendered, validated props. */
  run: RunFunction<never>;
  /** Properties the worker must not render: the runnable renders them itself (with extra variables). */
  raw?: readonly string[];
}
