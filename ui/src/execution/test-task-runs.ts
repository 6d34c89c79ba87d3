/** Task runs for the tests: made-up ids, states and times (seconds after T0). */
import type { State, StateType, TaskRun } from '../api/types.ts';

export const T0 = Date.parse('2026-01-01T00:00:00.000Z');

export const state = (current: StateType, from: number, to?: number): State => ({
  current,
  histories: [],
  startDate: new Date(T0 + from * 1000).toISOString(),
  ...(to !== undefined ? { endDate: new Date(T0 + to * 1000).toISOString() } : {}),
  duration: `PT${(to ?? from) - from}S`,
});

export const taskRun = (id: string, taskId: string, s: State, extra: Partial<TaskRun> = {}): TaskRun => ({
  id,
  executionId: 'exec',
  taskId,
  attempts: [{ state: s }],
  state: s,
  ...extra,
});

/** `count` task runs of a ForEach-like flow, one second each, one after the other. */
export const manyTaskRuns = (count: number): TaskRun[] =>
  Array.from({ length: count }, (_, i) =>
    taskRun(
      `tr${i}`,
      `task${i % 50}`,
      state(i === count - 1 ? 'RUNNING' : 'SUCCESS', i, i === count - 1 ? undefined : i + 1),
      {
        value: String(i),
      },
    ),
  );
