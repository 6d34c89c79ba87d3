import { describe, expect, it } from 'vitest';
import { allTasks, childTasks, findTask } from '../../src/flow/index.ts';
import { check } from './helpers.ts';

const RETURN = 'io.kestra.plugin.core.debug.Return';

describe('walk', () => {
  const { flow } = check(`
    id: f
    namespace: n
    tasks:
      - id: sw
        type: io.kestra.plugin.core.flow.Switch
        value: x
        cases:
          A:
            - id: a1
              type: ${RETURN}
        defaults:
          - id: d1
            type: ${RETURN}
      - id: dag
        type: io.kestra.plugin.core.flow.Dag
        tasks:
          - task: { id: g1, type: ${RETURN} }
          - task: { id: g2, type: ${RETURN} }
            dependsOn: [g1]
    errors:
      - id: e1
        type: ${RETURN}
    finally:
      - id: f1
        type: ${RETURN}
  `);
  if (!flow) throw new Error('test flow must be valid');

  it('lists every task with its path, parent and section', () => {
    const all = allTasks(flow).map((t) => [t.task.id, t.path, t.parent?.id, t.section]);
    expect(all).toEqual([
      ['sw', 'tasks[0]', undefined, 'tasks'],
      ['d1', 'tasks[0].defaults[0]', 'sw', 'tasks'],
      ['a1', 'tasks[0].cases.A[0]', 'sw', 'tasks'],
      ['dag', 'tasks[1]', undefined, 'tasks'],
      ['g1', 'tasks[1].tasks[0].task', 'dag', 'tasks'],
      ['g2', 'tasks[1].tasks[1].task', 'dag', 'tasks'],
      ['e1', 'errors[0]', undefined, 'errors'],
      ['f1', 'finally[0]', undefined, 'finally'],
    ]);
  });

  it('finds a task by id at any depth', () => {
    expect(findTask(flow, 'g2')?.path).toBe('tasks[1].tasks[1].task');
    expect(findTask(flow, 'nope')).toBeUndefined();
  });

  it('gives the direct children of a task from its definition', () => {
    const sw = flow.tasks[0];
    if (!sw) throw new Error('missing switch');
    expect(childTasks(sw).map((c) => [c.task.id, c.property, c.path])).toEqual([
      ['d1', 'defaults', 'defaults[0]'],
      ['a1', 'cases', 'cases.A[0]'],
    ]);
  });
});
