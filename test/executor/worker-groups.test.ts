/** Worker groups in the executor's write (pure): the job's group, the fallbacks, the flow's default group. */
import { expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { effectToWrite } from '../../src/executor/effects.ts';
import type { SideEffect } from '../../src/executor/types.ts';
import { withFlowGroup } from '../../src/executor/worker-groups.ts';
import type { Flow, Task } from '../../src/flow/types.ts';
import type { ExecutionWrite } from '../../src/store/types.ts';
import { makeExecution, makeTaskRun } from '../store/fixtures.ts';

const execution = { ...makeExecution({}, 'RUNNING'), taskRuns: [] } as Execution;
const dispatch = (workerGroup?: Task['workerGroup']): SideEffect => ({
  kind: 'dispatch',
  taskRun: makeTaskRun(execution, 't'),
  task: { id: 't', type: 'io.kestra.plugin.core.log.Log', ...(workerGroup ? { workerGroup } : {}) },
  attempt: 1,
});
const write = (effect: SideEffect, unserved?: Set<string>): ExecutionWrite => {
  const w: ExecutionWrite = { enqueue: [], logs: [] };
  effectToWrite(execution, effect, w, false, unserved);
  return w;
};

it('a job of a group is queued with it; a job of no group without one', () => {
  expect(write(dispatch({ key: 'gpu' })).enqueue).toEqual([
    expect.objectContaining({ queue: 'worker', workerGroup: 'gpu' }),
  ]);
  expect(write(dispatch()).enqueue![0]).not.toHaveProperty('workerGroup');
  expect(write(dispatch({ key: 'gpu' }), new Set(['other'])).logs).toEqual([]);
});

it('no live worker of the group: WAIT queues it with a warning, FAIL and CANCEL end the task run', () => {
  const unserved = new Set(['gpu']);
  const wait = write(dispatch({ key: 'gpu' }), unserved);
  expect(wait.enqueue).toEqual([expect.objectContaining({ queue: 'worker', workerGroup: 'gpu' })]);
  expect(wait.logs).toEqual([
    expect.objectContaining({ level: 'WARN', taskId: 't', message: expect.stringContaining('waits') }),
  ]);
  for (const [fallback, state] of [
    ['FAIL', 'FAILED'],
    ['CANCEL', 'KILLED'],
  ] as const) {
    const w = write(dispatch({ key: 'gpu', fallback }), unserved);
    expect(w.enqueue).toEqual([
      expect.objectContaining({
        queue: 'executor',
        payload: expect.objectContaining({ type: 'task-result', state, retryable: false }),
      }),
    ]);
    expect(w.logs).toEqual([
      expect.objectContaining({ level: 'WARN', message: expect.stringContaining(`fallback: ${fallback}`) }),
    ]);
  }
});

it("a task without a group takes the flow's; its own group wins", () => {
  const flow = {
    id: 'f',
    namespace: 'n',
    tasks: [],
    workerGroup: { key: 'gpu', fallback: 'FAIL' },
  } as unknown as Flow;
  const [inherited, own] = withFlowGroup([dispatch(), dispatch({ key: 'cpu' })], flow);
  expect(inherited).toMatchObject({ task: { workerGroup: { key: 'gpu', fallback: 'FAIL' } } });
  expect(own).toMatchObject({ task: { workerGroup: { key: 'cpu' } } });
});
