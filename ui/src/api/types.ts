/**
 * The shapes the UI reads from Baton's API: Kestra's JSON (flows, executions, task runs, states,
 * validation results) and Baton's accounts (`/me`, tokens). Only the fields the UI uses are listed.
 */

export type Role = 'viewer' | 'runner' | 'editor' | 'admin';

export interface Binding {
  role: Role;
  /** `*`, a namespace (with its sub-namespaces) or a prefix `company.*`. */
  namespace: string;
}

export interface Me {
  name: string;
  bindings: Binding[];
  authenticatedWith: 'password' | 'token';
  tokenId?: string;
}

export interface CreatedToken {
  id: string;
  user: string;
  name: string;
  createdAt: string;
  expiresAt?: string;
  token: string;
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

export interface FlowInput {
  id: string;
  type: InputType;
  description?: string;
  displayName?: string;
  required?: boolean;
  defaults?: unknown;
  prefill?: unknown;
  /** ENUM */
  values?: string[] | string;
  /** MULTISELECT (old name of `values`) */
  options?: string[] | string;
  allowCustomValue?: boolean;
  isRadio?: boolean;
  validator?: string;
  minLength?: number;
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  after?: string;
  before?: string;
  extension?: string;
  itemType?: InputType;
}

export interface FlowTask {
  id: string;
  type: string;
  description?: string;
  disabled?: boolean;
  [key: string]: unknown;
}

export interface FlowTrigger {
  id: string;
  type: string;
  disabled?: boolean;
  cron?: string;
  [key: string]: unknown;
}

export interface Label {
  key: string;
  value: string;
}

/** A flow as the API shows it (Kestra's Flow / FlowWithSource). */
export interface Flow {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
  disabled: boolean;
  deleted: boolean;
  labels?: Label[];
  inputs?: FlowInput[];
  tasks?: FlowTask[];
  triggers?: FlowTrigger[];
  source?: string;
}

export interface Page<T> {
  results: T[];
  total: number;
}

/** One problem of a flow source (`POST /flows/validate`), located in the text. */
export interface FlowProblem {
  line: number;
  column: number;
  path: string;
  message: string;
}

export interface ValidateResult {
  index: number;
  flow?: string;
  namespace?: string;
  constraints?: string;
  errors?: FlowProblem[];
}

export type StateType =
  | 'CREATED'
  | 'QUEUED'
  | 'RUNNING'
  | 'PAUSED'
  | 'RESTARTED'
  | 'KILLING'
  | 'SUCCESS'
  | 'WARNING'
  | 'FAILED'
  | 'KILLED'
  | 'CANCELLED'
  | 'SKIPPED'
  | 'RETRYING'
  | 'RETRIED'
  | 'BREAKPOINT';

export interface State {
  current: StateType;
  histories: { state: StateType; date: string }[];
  startDate: string;
  endDate?: string;
  /** ISO-8601 duration. */
  duration: string;
}

export interface TaskRun {
  id: string;
  executionId: string;
  taskId: string;
  parentTaskRunId?: string;
  value?: string;
  iteration?: number;
  attempts: { state: State }[];
  outputs?: Record<string, unknown>;
  state: State;
}

export interface Execution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  taskRunList: TaskRun[];
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  labels: Label[];
  state: State;
  trigger?: { id: string; type: string };
}

/** States after which an execution changes no more. */
export const TERMINAL_STATES: ReadonlySet<StateType> = new Set([
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'SKIPPED',
]);
