/**
 * The flow model: a flow as parsed from its YAML document (Kestra's flow language).
 *
 * Glossary
 * - Flow: one YAML document: `id`, `namespace`, `tasks` and optional properties. Each save is a revision.
 * - Task: one step, `{ id, type, ...properties }`. `type` is resolved to the canonical type name of the
 *   task registry (`src/tasks/registry.ts`) at parse time; the name written in the file is kept in
 *   `sourceType` for messages.
 * - Runnable task: does work on a worker. Flowable task: control flow, decided by the executor.
 * - Dynamic property: a property that accepts `{{ }}` expressions, rendered just before use.
 * - Source position: where in the file a value was written, kept for error messages.
 */

/** Properties every task may carry, whatever its type. */
export interface TaskCommon {
  id: string;
  /** Canonical type name (resolved from aliases at parse time). */
  type: string;
  /** The type name as written in the file, when it differs from the canonical `type` (an alias). */
  sourceType?: string;
  description?: string;
  retry?: RetryPolicy;
  /** ISO-8601 duration, or an expression rendering to one. */
  timeout?: string;
  disabled?: boolean;
  allowFailure?: boolean;
  allowWarning?: boolean;
  runIf?: string;
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  logToFile?: boolean;
  /** Baton feature (Enterprise-only in Kestra): route the task to workers of this group. */
  workerGroup?: { key: string; fallback?: 'FAIL' | 'WAIT' | 'CANCEL' };
}

/** A task: the common properties plus those of its type (see the registry). */
export interface Task extends TaskCommon {
  [property: string]: unknown;
}

export interface RetryPolicy {
  type: 'constant' | 'exponential' | 'random';
  /** Total number of attempts, the first included (Kestra 1.x name). Read it with `maxAttemptsOf`. */
  maxAttempts?: number;
  /** Former name of `maxAttempts`, still accepted as an alias. */
  maxAttempt?: number;
  /** ISO-8601 duration: give up once this much time has passed since the first attempt. */
  maxDuration?: string;
  interval?: string;
  maxInterval?: string;
  minInterval?: string;
  delayFactor?: number;
  warningOnRetry?: boolean;
  /** Flow-level retry only. */
  behavior?: 'RETRY_FAILED_TASK' | 'CREATE_NEW_EXECUTION';
}

export type InputType =
  | 'STRING'
  | 'ENUM'
  | 'SELECT'
  | 'MULTISELECT'
  | 'INT'
  | 'FLOAT'
  | 'BOOLEAN'
  | 'BOOL'
  | 'DATETIME'
  | 'DATE'
  | 'TIME'
  | 'DURATION'
  | 'FILE'
  | 'JSON'
  | 'YAML'
  | 'URI'
  | 'SECRET'
  | 'ARRAY'
  | 'EMAIL';

export interface Input {
  id: string;
  type: InputType;
  description?: string;
  displayName?: string;
  required?: boolean;
  defaults?: unknown;
  /** STRING, SECRET: a regular expression the whole value must match. */
  validator?: string;
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  /** ENUM / SELECT / MULTISELECT. */
  values?: string[];
  options?: string[];
  allowCustomValue?: boolean;
  /** ARRAY. */
  itemType?: InputType;
  after?: string;
  before?: string;
  dependsOn?: { inputs?: string[]; condition?: string };
  [property: string]: unknown;
}

export interface FlowOutput {
  id: string;
  type: InputType;
  value: unknown;
  description?: string;
  required?: boolean;
  displayName?: string;
}

export interface Trigger {
  id: string;
  type: string;
  /** The type name as written in the file, when it differs from the canonical `type`. */
  sourceType?: string;
  disabled?: boolean;
  conditions?: Condition[];
  [property: string]: unknown;
}

export interface Condition {
  type: string;
  /** The type name as written in the file, when it differs from the canonical `type`. */
  sourceType?: string;
  [property: string]: unknown;
}

export interface Concurrency {
  limit: number;
  behavior?: 'QUEUE' | 'CANCEL' | 'FAIL';
}

export interface Sla {
  id: string;
  type: 'MAX_DURATION' | 'EXECUTION_ASSERTION';
  behavior: 'FAIL' | 'CANCEL' | 'NONE';
  duration?: string;
  assert?: string;
  labels?: Record<string, string> | { key: string; value: string }[];
}

export interface Flow {
  id: string;
  namespace: string;
  revision?: number;
  description?: string;
  labels?: Record<string, string> | { key: string; value: string }[];
  inputs?: Input[];
  variables?: Record<string, unknown>;
  tasks: Task[];
  errors?: Task[];
  finally?: Task[];
  afterExecution?: Task[];
  triggers?: Trigger[];
  outputs?: FlowOutput[];
  concurrency?: Concurrency;
  retry?: RetryPolicy;
  sla?: Sla[];
  checks?: { condition: string; message: string; style?: string; behavior?: string }[];
  pluginDefaults?: { type: string; forced?: boolean; values: Record<string, unknown> }[];
  disabled?: boolean;
  deleted?: boolean;
  /** Baton feature: default worker group for the tasks of this flow. */
  workerGroup?: { key: string; fallback?: 'FAIL' | 'WAIT' | 'CANCEL' };
  /** Deprecated in Kestra (use Flow triggers); still accepted: tasks run after the execution ends. */
  listeners?: Listener[];
}

/** Deprecated Kestra listener: `tasks` run when the execution ends and the `conditions` hold. */
export interface Listener {
  description?: string;
  conditions?: Condition[];
  tasks: Task[];
}

/** Where a value sits in its source file. Line and column start at 1. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One problem found in a flow file. */
export interface FlowError {
  file: string;
  line: number;
  column: number;
  /** Property path, e.g. `tasks[2].retry.maxAttempt`. Empty for the whole document. */
  path: string;
  message: string;
}

export const formatFlowError = (e: FlowError): string =>
  `${e.file}:${e.line}:${e.column}: ${e.path ? `${e.path}: ` : ''}${e.message}`;
