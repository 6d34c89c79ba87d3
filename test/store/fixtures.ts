/** Small builders of executions, task runs and logs for the store contract suite. */
import type { Execution, LogEntry, LogLevel, State, TaskRun } from '../../src/execution/types.ts';

let counter = 0;
/** A unique id per call, so that tests sharing one store never collide. */
export const uid = (prefix: string): string =>
  `${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`;

export const iso = (ms: number): string => new Date(ms).toISOString();

export function makeExecution(
  overrides: Partial<Omit<Execution, 'taskRuns'>> & { state?: Execution['state'] } = {},
  current: State = 'CREATED',
  startMs = Date.now(),
): Omit<Execution, 'taskRuns'> {
  const start = iso(startMs);
  return {
    id: uid('exec'),
    namespace: 'company.team',
    flowId: 'hello',
    flowRevision: 1,
    state: { current, startDate: start, histories: [{ state: current, date: start }] },
    inputs: { name: 'world' },
    labels: [],
    attemptNumber: 1,
    ...overrides,
  };
}

export function makeTaskRun(
  execution: Omit<Execution, 'taskRuns'>,
  taskId: string,
  current: State = 'CREATED',
): TaskRun {
  const now = iso(Date.now());
  return {
    id: uid('tr'),
    executionId: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    taskId,
    attempts: [],
    state: { current, startDate: now, histories: [{ state: current, date: now }] },
  };
}

export function makeLog(
  execution: Omit<Execution, 'taskRuns'>,
  level: LogLevel,
  message: string,
  extra: Partial<LogEntry> = {},
): LogEntry {
  return {
    executionId: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    level,
    message,
    timestamp: iso(Date.now()),
    ...extra,
  };
}

/** Calls `fn` until it returns a non-empty array; fails after `timeoutMs`. Yields between tries. */
export async function pollUntil<T>(fn: () => Promise<T[]>, timeoutMs = 5000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await fn();
    if (result.length > 0) return result;
    if (Date.now() > deadline) throw new Error(`nothing returned within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
