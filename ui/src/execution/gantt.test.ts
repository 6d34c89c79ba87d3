import { describe, expect, it } from 'vitest';
import { barsOf, ganttLayout, MIN_WIDTH, stateByTaskId, treeOrder } from './gantt.ts';
import { state, T0, taskRun } from './test-task-runs.ts';

describe('treeOrder', () => {
  it('puts children under their parent, in list order, with their depth', () => {
    const runs = [
      taskRun('a', 'parallel', state('SUCCESS', 0, 10)),
      taskRun('d', 'after', state('SUCCESS', 10, 12)),
      taskRun('b', 'child1', state('SUCCESS', 1, 5), { parentTaskRunId: 'a' }),
      taskRun('c', 'grandchild', state('SUCCESS', 2, 3), { parentTaskRunId: 'b' }),
      taskRun('e', 'child2', state('SUCCESS', 1, 9), { parentTaskRunId: 'a' }),
      // A parent not in the list (another page of it): shown at the top level.
      taskRun('f', 'orphan', state('SUCCESS', 0, 1), { parentTaskRunId: 'gone' }),
    ];
    expect(treeOrder(runs).map((r) => `${r.depth}:${r.taskRun.id}`)).toEqual([
      '0:a',
      '1:b',
      '2:c',
      '1:e',
      '0:d',
      '0:f',
    ]);
  });
});

describe('ganttLayout', () => {
  it('places spans and attempts in percent of the execution', () => {
    const retried = taskRun('b', 'flaky', state('SUCCESS', 20, 100), {
      attempts: [{ state: state('FAILED', 20, 50) }, { state: state('SUCCESS', 50, 100) }],
    });
    const layout = ganttLayout(
      [taskRun('a', 'first', state('SUCCESS', 0, 20)), retried],
      state('SUCCESS', 0, 100),
    );
    expect(layout.start).toBe(T0);
    expect(layout.end).toBe(T0 + 100_000);
    const [first, flaky] = layout.rows.map((r) => barsOf(r.taskRun, layout));
    expect(first?.span).toEqual({ left: 0, width: 20, state: 'SUCCESS' });
    expect(flaky?.span).toEqual({ left: 20, width: 80, state: 'SUCCESS' });
    expect(flaky?.attempts).toEqual([
      { left: 20, width: 30, state: 'FAILED' },
      { left: 50, width: 50, state: 'SUCCESS' },
    ]);
  });

  it('draws a running task run up to now and an instant one at the narrowest width', () => {
    const now = T0 + 50_000;
    const layout = ganttLayout(
      [taskRun('a', 'instant', state('SUCCESS', 0, 0)), taskRun('b', 'running', state('RUNNING', 25))],
      state('RUNNING', 0),
      now,
    );
    expect(layout.end).toBe(now);
    const [instant, running] = layout.rows.map((r) => barsOf(r.taskRun, layout, now).span);
    expect(instant?.width).toBe(MIN_WIDTH);
    expect(running).toEqual({ left: 50, width: 50, state: 'RUNNING' });
  });

  it('keeps bars inside the execution when clocks disagree (a task run a little before or after it)', () => {
    const layout = ganttLayout([], state('SUCCESS', 10, 20));
    expect(barsOf({ ...taskRun('a', 'early', state('SUCCESS', 5, 15)) }, layout).span).toEqual({
      left: 0,
      width: 50,
      state: 'SUCCESS',
    });
    expect(barsOf(taskRun('b', 'late', state('SUCCESS', 15, 30)), layout).span).toEqual({
      left: 50,
      width: 50,
      state: 'SUCCESS',
    });
  });
});

describe('stateByTaskId', () => {
  it('gives each task its most telling state over its runs', () => {
    const states = stateByTaskId([
      taskRun('1', 'each', state('SUCCESS', 0, 1)),
      taskRun('2', 'each', state('FAILED', 1, 2)),
      taskRun('3', 'each', state('RUNNING', 2)),
      taskRun('4', 'loop', state('SUCCESS', 0, 1)),
      taskRun('5', 'loop', state('RUNNING', 1)),
      taskRun('6', 'done', state('SUCCESS', 0, 1)),
    ]);
    expect(Object.fromEntries(states)).toEqual({ each: 'FAILED', loop: 'RUNNING', done: 'SUCCESS' });
  });
});
