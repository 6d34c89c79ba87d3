/**
 * A server's executions (Kestra's JSON, see src/server/kestra/execution-json.ts) back in Baton's model,
 * so that the commands with `--server` show them with the same code as the embedded ones (the live view
 * of progress.ts, the lines of `executions`). Only what a display needs is carried over; the server has
 * masked secrets already.
 */
import type { Execution, State, StateHistory, TaskRun } from '../../execution/types.ts';
import type { KestraExecution, KestraState, KestraTaskRun } from '../../server/kestra/execution-json.ts';

const fromState = (s: KestraState): StateHistory => ({
  current: s.current as State,
  startDate: s.startDate,
  ...(s.endDate ? { endDate: s.endDate } : {}),
  histories: s.histories.map((h) => ({ state: h.state as State, date: h.date })),
});

const fromTaskRun = (t: KestraTaskRun): TaskRun => ({
  id: t.id,
  executionId: t.executionId,
  namespace: t.namespace,
  flowId: t.flowId,
  taskId: t.taskId,
  ...(t.parentTaskRunId ? { parentTaskRunId: t.parentTaskRunId } : {}),
  ...(t.value !== undefined ? { value: t.value } : {}),
  ...(t.iteration !== undefined ? { iteration: t.iteration } : {}),
  attempts: (t.attempts ?? []).map((a) => ({ state: fromState(a.state) })),
  ...(t.outputs ? { outputs: t.outputs } : {}),
  state: fromState(t.state),
});

export const fromKestraExecution = (e: KestraExecution): Execution => ({
  id: e.id,
  namespace: e.namespace,
  flowId: e.flowId,
  flowRevision: e.flowRevision,
  state: fromState(e.state),
  inputs: e.inputs ?? {},
  labels: e.labels ?? [],
  ...(e.variables ? { variables: e.variables } : {}),
  ...(e.trigger ? { trigger: e.trigger } : {}),
  ...(e.parentId ? { parentId: e.parentId } : {}),
  ...(e.originalId && e.originalId !== e.id ? { originalId: e.originalId } : {}),
  ...(e.outputs ? { outputs: e.outputs } : {}),
  taskRuns: (e.taskRunList ?? []).map(fromTaskRun),
  attemptNumber: e.metadata?.attemptNumber ?? 1,
  ...(e.scheduleDate ? { scheduleDate: e.scheduleDate } : {}),
});

/** A task run's display-relevant fingerprint: its state, when it entered it, and its attempt count. */
const fingerprint = (t: TaskRun): string =>
  `${t.state.current}\n${t.state.histories.length}\n${t.attempts.length}\n${t.value ?? ''}`;

/**
 * Which task runs of `next` are new or changed since `previous` (what the executor's `execution` event
 * gives the embedded view directly; a server sends whole executions).
 */
export const changedTaskRuns = (previous: Execution | undefined, next: Execution): TaskRun[] => {
  const before = new Map((previous?.taskRuns ?? []).map((t) => [t.id, fingerprint(t)]));
  return next.taskRuns.filter((t) => before.get(t.id) !== fingerprint(t));
};
