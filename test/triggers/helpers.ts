/** Shared helpers of trigger tests: flows from YAML text, ended executions built as objects. */
import type { Execution, State, TaskRun } from '../../src/execution/types.ts';
import { parseFlow } from '../../src/flow/index.ts';
import type { Flow } from '../../src/flow/types.ts';

export const flowOf = (yaml: string): Flow => {
  const parsed = parseFlow(yaml, 'test.yaml');
  if (!parsed.flow || parsed.errors.length > 0)
    throw new Error(`invalid test flow: ${JSON.stringify(parsed.errors)}`);
  return parsed.flow;
};

const history = (state: State, at: string) => ({
  current: state,
  startDate: at,
  endDate: at,
  histories: [{ state, date: at }],
});

let seq = 0;

export const ended = (
  namespace: string,
  flowId: string,
  state: State = 'SUCCESS',
  extra: Partial<Execution> = {},
): Execution => ({
  id: `exec${++seq}`,
  namespace,
  flowId,
  flowRevision: 1,
  state: history(state, '2024-06-03T10:00:00.000Z'),
  inputs: {},
  labels: [],
  taskRuns: [],
  attemptNumber: 1,
  ...extra,
});

export const taskRun = (
  execution: Execution,
  taskId: string,
  outputs?: Record<string, unknown>,
  extra: Partial<TaskRun> = {},
): TaskRun => ({
  id: `${execution.id}-${taskId}-${extra.value ?? ''}`,
  executionId: execution.id,
  namespace: execution.namespace,
  flowId: execution.flowId,
  taskId,
  attempts: [{ state: history('SUCCESS', '2024-06-03T10:00:00.000Z') }],
  state: history('SUCCESS', '2024-06-03T10:00:00.000Z'),
  ...(outputs ? { outputs } : {}),
  ...extra,
});

/** 2024-06-03 is a Monday. */
export const at = (iso: string): number => Date.parse(iso);
