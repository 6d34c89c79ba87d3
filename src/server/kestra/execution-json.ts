/**
 * Baton's execution model in Kestra's JSON shape (io.kestra.core.models.executions.Execution, TaskRun,
 * State, LogEntry), as the API answers it. Secrets are masked here, for every answer: a value stored
 * sealed (SECRET inputs, outputs that carry a secret) is shown as `******`, and any text holding one of
 * the execution's known secrets (what its tasks obtained from `secret()`) has it replaced.
 */
import type { Execution, LogEntry, StateHistory, TaskRun } from '../../execution/types.ts';
import type { Flow } from '../../flow/types.ts';
import type { SecretCipher } from '../../secrets/encryption.ts';
import { knownSecrets, maskSealed, maskText } from '../../secrets/seal.ts';

export interface KestraState {
  current: string;
  histories: { state: string; date: string }[];
  startDate: string;
  endDate?: string;
  /** ISO-8601 duration (`PT1.25S`), from the start to the end (or to now while it runs). */
  duration: string;
}

export interface KestraTaskRun {
  id: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  parentTaskRunId?: string;
  value?: string;
  iteration?: number;
  attempts: { state: KestraState }[];
  outputs?: Record<string, unknown>;
  state: KestraState;
}

export interface KestraExecution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  taskRunList: KestraTaskRun[];
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  labels: { key: string; value: string }[];
  variables?: Record<string, unknown>;
  state: KestraState;
  parentId?: string;
  originalId: string;
  trigger?: { id: string; type: string; variables: Record<string, unknown> };
  deleted: false;
  metadata: { attemptNumber: number; originalCreatedDate: string };
  scheduleDate?: string;
  kind?: string;
}

/** `PT1.25S`, `PT2M3.5S`, `PT1H0M0S`: Java's Duration.toString() for a millisecond count. */
export const isoDuration = (ms: number): string => {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  let out = 'PT';
  if (hours) out += `${sign}${hours}H`;
  if (minutes) out += `${sign}${minutes}M`;
  if (seconds || out === 'PT') out += `${sign}${seconds}S`;
  return out;
};

export const toKestraState = (state: StateHistory, now = Date.now()): KestraState => {
  const end = state.endDate ? Date.parse(state.endDate) : now;
  return {
    current: state.current,
    histories: state.histories.map((h) => ({ state: h.state, date: h.date })),
    startDate: state.startDate,
    ...(state.endDate ? { endDate: state.endDate } : {}),
    duration: isoDuration(end - Date.parse(state.startDate)),
  };
};

const toKestraTaskRun = (tr: TaskRun, now: number): KestraTaskRun => ({
  id: tr.id,
  executionId: tr.executionId,
  namespace: tr.namespace,
  flowId: tr.flowId,
  taskId: tr.taskId,
  ...(tr.parentTaskRunId ? { parentTaskRunId: tr.parentTaskRunId } : {}),
  ...(tr.value !== undefined ? { value: tr.value } : {}),
  ...(tr.iteration !== undefined ? { iteration: tr.iteration } : {}),
  attempts: tr.attempts.map((a) => ({ state: toKestraState(a.state, now) })),
  ...(tr.outputs ? { outputs: tr.outputs } : {}),
  state: toKestraState(tr.state, now),
});

/**
 * The execution as Kestra's API shows it, secrets masked. `flow` (the execution's revision) tells
 * which inputs are SECRET; without it, sealed values are still masked. `cipher`: the engine's key,
 * to know the secrets masked in plain strings.
 */
export const toKestraExecution = (
  execution: Execution,
  cipher: SecretCipher,
  flow?: Pick<Flow, 'inputs'>,
): KestraExecution => {
  const now = Date.now();
  const json: KestraExecution = {
    id: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    taskRunList: execution.taskRuns.map((tr) => toKestraTaskRun(tr, now)),
    inputs: execution.inputs ?? {},
    ...(execution.outputs ? { outputs: execution.outputs } : {}),
    labels: execution.labels.map((l) => ({ key: l.key, value: l.value })),
    ...(execution.variables ? { variables: execution.variables } : {}),
    state: toKestraState(execution.state, now),
    ...(execution.parentId ? { parentId: execution.parentId } : {}),
    originalId: execution.originalId ?? execution.id,
    ...(execution.trigger ? { trigger: execution.trigger } : {}),
    deleted: false,
    metadata: { attemptNumber: execution.attemptNumber, originalCreatedDate: execution.state.startDate },
    ...(execution.scheduleDate ? { scheduleDate: execution.scheduleDate } : {}),
  };
  return maskSealed(json, knownSecrets(flow, execution, cipher));
};

/** An execution listed by a search (stored without its task runs). */
export const toKestraListed = (
  execution: Omit<Execution, 'taskRuns'>,
  cipher: SecretCipher,
  flow?: Pick<Flow, 'inputs'>,
): KestraExecution => toKestraExecution({ ...execution, taskRuns: [] }, cipher, flow);

export interface KestraLogEntry {
  namespace: string;
  flowId: string;
  taskId?: string;
  executionId: string;
  taskRunId?: string;
  attemptNumber?: number;
  timestamp: string;
  level: string;
  thread?: string;
  message: string;
  deleted: false;
}

/** A log line in Kestra's LogEntry shape, with the execution's known secrets masked. */
export const toKestraLog = (entry: LogEntry, known: readonly string[] = []): KestraLogEntry => ({
  namespace: entry.namespace,
  flowId: entry.flowId,
  ...(entry.taskId ? { taskId: entry.taskId } : {}),
  executionId: entry.executionId,
  ...(entry.taskRunId ? { taskRunId: entry.taskRunId } : {}),
  ...(entry.attemptNumber !== undefined ? { attemptNumber: entry.attemptNumber } : {}),
  timestamp: entry.timestamp,
  level: entry.level,
  message: known.length > 0 ? maskText(entry.message, known) : entry.message,
  deleted: false,
});
