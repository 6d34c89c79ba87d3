import { describe, expect, it } from 'vitest';
import { formatFlowError } from '../../src/flow/index.ts';
import { check, errorAt } from './helpers.ts';

const RETURN = 'io.kestra.plugin.core.debug.Return';

describe('flow rules', () => {
  it('rejects duplicate task ids across nesting levels, at the first repeat', () => {
    const { errors } = check(`
      id: f
      namespace: n
      tasks:
        - id: a
          type: ${RETURN}
        - id: seq
          type: io.kestra.plugin.core.flow.Sequential
          tasks:
            - id: a
              type: ${RETURN}
      errors:
        - id: seq
          type: ${RETURN}
    `);
    const e = errorAt(errors, 'tasks[1].tasks[0].id');
    expect(e?.message).toContain('Duplicate task id with name [a, seq]');
    expect([e?.line, e?.column]).toEqual([9, 13]);
  });

  it('rejects duplicate trigger ids and input ids', () => {
    const { errors } = check(`
      id: f
      namespace: n
      inputs:
        - id: x
          type: STRING
        - id: x
          type: INT
      tasks:
        - id: t
          type: ${RETURN}
      triggers:
        - id: s
          type: io.kestra.plugin.core.trigger.Schedule
          cron: "0 * * * *"
        - id: s
          type: io.kestra.plugin.core.trigger.Schedule
          cron: "1 * * * *"
    `);
    expect(errorAt(errors, 'inputs[1]')?.message).toContain('Duplicate input with name [x]');
    expect(errorAt(errors, 'triggers[1].id')?.message).toContain('Duplicate trigger id with name [s]');
  });

  it('checks Dag dependencies: unknown ids and cycles', () => {
    const { errors } = check(`
      id: f
      namespace: n
      tasks:
        - id: dag
          type: io.kestra.plugin.core.flow.Dag
          tasks:
            - task: { id: a, type: ${RETURN} }
              dependsOn: [b]
            - task: { id: b, type: ${RETURN} }
              dependsOn: [a, zz]
            - task: { id: c, type: ${RETURN} }
              dependsOn: [b]
    `);
    expect(errorAt(errors, 'tasks[0].tasks[1].dependsOn[1]')?.message).toContain(
      'dag: Not existing task id in dependency: zz',
    );
    expect(errorAt(errors, 'tasks[0].tasks')?.message).toContain('dag: Cyclic dependency detected: a, b;');
  });

  it('rejects a Switch without any task', () => {
    const { errors } = check(`
      id: f
      namespace: n
      tasks:
        - id: sw
          type: io.kestra.plugin.core.flow.Switch
          value: x
          cases: {}
    `);
    expect(errorAt(errors, 'tasks[0]')?.message).toContain(
      'sw: No task defined, neither cases or default have any tasks',
    );
  });

  it('allows only runnable tasks in a WorkingDirectory, and requires some', () => {
    const { errors } = check(`
      id: f
      namespace: n
      tasks:
        - id: wd
          type: io.kestra.plugin.core.flow.WorkingDirectory
          tasks:
            - id: seq
              type: io.kestra.plugin.core.flow.Sequential
              tasks:
                - id: r
                  type: ${RETURN}
        - id: empty
          type: io.kestra.plugin.core.flow.WorkingDirectory
    `);
    expect(errorAt(errors, 'tasks[0].tasks[0]')?.message).toContain(
      'wd: Only runnable tasks are allowed as children of a WorkingDirectory task',
    );
    expect(errors.some((e) => e.message.includes("empty: The 'tasks' property cannot be empty"))).toBe(true);
  });

  it('rejects a subflow calling its own flow', () => {
    const { errors } = check(`
      id: me
      namespace: company.team
      tasks:
        - id: again
          type: io.kestra.plugin.core.flow.Subflow
          namespace: company.team
          flowId: me
    `);
    expect(errors.map(formatFlowError)).toEqual([
      'flows/test.yaml:4:5: tasks[0]: Invalid Flow: Recursive call to flow [company.team.me]; a flow cannot start itself as a subflow',
    ]);
  });

  it('rejects system labels, in map and list form', () => {
    const map = check(`
      id: f
      namespace: n
      labels:
        system.correlationId: "abc"
        team: data
      tasks:
        - id: t
          type: ${RETURN}
    `);
    expect(errorAt(map.errors, 'labels["system.correlationId"]')?.message).toContain(
      'System labels can only be set by Kestra itself, offending label: system.correlationId=abc',
    );
    const list = check(`
      id: f
      namespace: n
      labels:
        - key: system.x
          value: y
      tasks:
        - id: t
          type: ${RETURN}
    `);
    expect(errorAt(list.errors, 'labels[0].key')?.message).toContain('offending label: system.x=y');
  });

  it('accepts system.readOnly, the one system label a user may set (Kestra FlowValidator)', () => {
    const map = check(`
      id: f
      namespace: n
      labels:
        system.readOnly: "true"
      tasks:
        - id: t
          type: ${RETURN}
    `);
    expect(map.errors).toEqual([]);
    const list = check(`
      id: f
      namespace: n
      labels:
        - key: system.readOnly
          value: "true"
      tasks:
        - id: t
          type: ${RETURN}
    `);
    expect(list.errors).toEqual([]);
    // Exact key only: another case is still a system label.
    const other = check(`
      id: f
      namespace: n
      labels:
        system.readonly: "true"
      tasks:
        - id: t
          type: ${RETURN}
    `);
    expect(errorAt(other.errors, 'labels["system.readonly"]')?.message).toContain('offending label');
  });
});
