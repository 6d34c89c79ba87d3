/**
 * Kestra fidelity (issue #6): `taskrun.value` in WorkingDirectory children, the `tasks` variable and
 * `tasksWithState()`, SetVariables / UnsetVariables and Loop, through the pure reducer.
 */
import { describe, expect, it } from 'vitest';
import { buildRenderContext } from '../../src/executor/context.ts';
import { buildExecution } from '../../src/executor/create.ts';
import { plainCipher } from '../../src/secrets/encryption.ts';
import { flowFromYaml, runFlow } from './harness.ts';

const values = (sim: ReturnType<typeof runFlow>, taskId: string): unknown[] =>
  sim.runsOf(taskId).map((r) => r.outputs?.value);

describe('taskrun.value inside a WorkingDirectory', () => {
  it('is the iteration value for a WorkingDirectory in a ForEach', () => {
    const sim = runFlow(`id: wd
namespace: t
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: wd
        type: io.kestra.plugin.core.flow.WorkingDirectory
        tasks:
          - id: r
            type: io.kestra.plugin.core.debug.Return
            format: "{{ taskrun.value }}-{{ parent.taskrun.value }}"
`);
    expect(sim.state).toBe('SUCCESS');
    expect(values(sim, 'r')).toEqual(['a-a', 'b-b']);
  });

  it('is the nearest value for a WorkingDirectory in a Parallel in a ForEach in a Parallel', () => {
    const sim = runFlow(`id: wd
namespace: t
tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: each
        type: io.kestra.plugin.core.flow.ForEach
        values: ["x", "y"]
        tasks:
          - id: inner
            type: io.kestra.plugin.core.flow.Parallel
            tasks:
              - id: wd
                type: io.kestra.plugin.core.flow.WorkingDirectory
                tasks:
                  - id: r
                    type: io.kestra.plugin.core.debug.Return
                    format: "{{ taskrun.value }}"
`);
    expect(sim.state).toBe('SUCCESS');
    expect(values(sim, 'r').sort()).toEqual(['x', 'y']);
  });

  it('stays unset for a task in a Sequential in a ForEach, as in Kestra (parent.taskrun.value there)', () => {
    const sim = runFlow(`id: seq
namespace: t
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a"]
    tasks:
      - id: seq
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: r
            type: io.kestra.plugin.core.debug.Return
            format: "{{ taskrun.value ?? 'none' }}-{{ parent.taskrun.value }}"
`);
    expect(values(sim, 'r')).toEqual(['none-a']);
  });
});

describe('the tasks variable and tasksWithState()', () => {
  const flow = `id: states
namespace: t
tasks:
  - id: t1
    type: io.kestra.plugin.core.debug.Return
    format: one
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["v1", "v2"]
    tasks:
      - id: t2
        type: io.kestra.plugin.core.flow.AllowFailure
        tasks:
          - id: boom
            type: io.kestra.plugin.core.execution.Fail
            condition: "{{ parent.taskrun.value == 'v2' }}"
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ tasks.t1.state }} {{ tasks.t2['v1'].state }} {{ tasks.t2.v2.state }} {{ tasks.each.state }}"
  - id: failed
    type: io.kestra.plugin.core.debug.Return
    format: "{{ tasksWithState('FAILED') | json }}|{{ tasksWithState(state='warning') | json }}"
`;

  it('gives the state of each task run so far, by task id and by value', () => {
    const sim = runFlow(flow);
    expect(sim.state).toBe('WARNING');
    expect(sim.run1('show').outputs?.value).toBe('SUCCESS SUCCESS WARNING WARNING');
  });

  it('tasksWithState lists task runs in a state with their value', () => {
    const sim = runFlow(flow);
    const [failed, warning] = String(sim.run1('failed').outputs?.value).split('|');
    expect(JSON.parse(failed!)).toEqual([{ taskId: 'boom', state: 'FAILED' }]);
    expect(JSON.parse(warning!)).toEqual([
      // In creation order of the tasks, as Kestra folds the task runs.
      { taskId: 'each', state: 'WARNING' },
      { taskId: 't2', value: 'v2', state: 'WARNING' },
    ]);
  });

  it('is kept up to date incrementally on the same index', () => {
    const sim = runFlow(flow);
    const ctx = buildRenderContext(sim.flow, sim.execution, undefined, undefined, { cipher: plainCipher });
    expect((ctx.tasks as Record<string, { state: string }>).failed!.state).toBe('SUCCESS');
  });
});

describe('SetVariables and UnsetVariables', () => {
  it('set, merge and remove execution variables seen by later tasks as vars', () => {
    const sim = runFlow(`id: vars
namespace: t
variables:
  name: World
  nested: { a: 1, b: 2 }
tasks:
  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      message: Hello
      name: "{{ flow.id }}"
      nested: { b: 3, c: 4 }
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.message }} {{ vars.name }} {{ vars.nested | json }}"
  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables: [message, nested.a]
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.message ?? 'gone' }} {{ vars.nested | json }}"
`);
    expect(sim.state).toBe('SUCCESS');
    expect(sim.run1('show').outputs?.value).toBe('Hello vars {"a":1,"b":3,"c":4}');
    expect(sim.run1('after').outputs?.value).toBe('gone {"b":3,"c":4}');
    expect(sim.execution.variables).toEqual({ name: 'vars', nested: { b: 3, c: 4 } });
  });

  it('fail on an existing variable without overwrite, and on a missing one without ignoreMissing', () => {
    const sim = runFlow(`id: vars
namespace: t
variables:
  name: World
tasks:
  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    overwrite: false
    variables: { name: other }
    allowFailure: true
  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables: [nope]
`);
    expect(sim.run1('set').state.current).toBe('WARNING');
    expect(sim.run1('unset').state.current).toBe('FAILED');
    expect(sim.logs.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        '`overwrite` is set to false and the following variables already exist: name',
        'UnsetVariables: no variable `nope` to remove',
      ]),
    );
  });

  it('never renders again a value that holds an expression', () => {
    const sim = runFlow(`id: vars
namespace: t
tasks:
  - id: r
    type: io.kestra.plugin.core.debug.Return
    format: "{{ '{{ execution.id }}' }}"
  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables: { v: "{{ outputs.r.value }}" }
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.v }}"
`);
    expect(sim.run1('show').outputs?.value).toBe('{{ execution.id }}');
  });
});

describe('expression input defaults at execution creation', () => {
  it('are rendered with the execution and the inputs they depend on; given values are not', () => {
    const flow = flowFromYaml(`id: defaults
namespace: t
inputs:
  - id: day
    type: STRING
    defaults: "{{ now() | date('yyyy-MM-dd') }}"
  - id: label
    type: STRING
    defaults: "{{ flow.id }}-{{ inputs.day }}"
    dependsOn:
      inputs: [day]
  - id: raw
    type: STRING
    defaults: "{{ execution.id }}"
tasks:
  - id: r
    type: io.kestra.plugin.core.debug.Return
    format: x
`);
    const now = Date.parse('2025-03-04T05:06:07Z');
    const e = buildExecution({
      id: 'e1',
      flow,
      revision: 1,
      now,
      inputs: { raw: '{{ execution.id }}' },
      cipher: plainCipher,
    });
    const today = new Date().toISOString().slice(0, 10);
    expect(e.inputs).toEqual({ day: today, label: `defaults-${today}`, raw: '{{ execution.id }}' });
  });
});
