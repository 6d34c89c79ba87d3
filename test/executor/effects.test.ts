/** Kill, the Exit task's effect and the Labels task's effect on a running execution. */
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/execution/types.ts';
import { flowSource } from './flow-cases.ts';
import { flowFromYaml, runFlow, Sim, T0 } from './harness.ts';

describe('kill', () => {
  it('cancels running jobs and ends KILLED once the worker reports', () => {
    const sim = new Sim(
      flowFromYaml(`id: k
namespace: t
tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: slow
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT10S
      - id: slow2
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT10S
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: never
`),
      { until: T0 + 5000 },
    ).run();
    expect(sim.state).toBe('RUNNING');
    sim.step([{ type: 'kill' }]);
    expect(sim.state).toBe('KILLING');
    const cancels = sim.effects.filter((e) => e.kind === 'cancel-job');
    expect(cancels.length).toBe(2);
    sim.step(
      sim
        .runsOf('slow')
        .concat(sim.runsOf('slow2'))
        .map((tr) => ({
          type: 'task-result' as const,
          taskRunId: tr.id,
          attempt: 1,
          state: 'KILLED' as const,
        })),
    );
    expect(sim.state).toBe('KILLED');
    expect(sim.run1('par').state.current).toBe('KILLED');
    expect(sim.runsOf('after').length).toBe(0);
  });
});

describe('exit effect', () => {
  it('ends the execution with the exit state and kills the rest', () => {
    const sim = runFlow(`id: e
namespace: t
tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: slow
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT10S
      - id: seq
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: exit
            type: io.kestra.plugin.core.execution.Exit
            state: WARNING
          - id: never
            type: io.kestra.plugin.core.log.Log
            message: never
`);
    expect(sim.state).toBe('WARNING');
    expect(sim.run1('slow').state.current).toBe('KILLED');
    expect(sim.runsOf('never').length).toBe(0);
  });
});

const labelled = flowSource({
  name: 'labelled',
  yaml: `labels:
  owner: data-team
  stage: draft
inputs:
  - id: asJson
    type: JSON
  - id: mapKey
    type: STRING
  - id: mapValue
    type: STRING
  - id: listKey
    type: STRING
  - id: listValue
    type: STRING
tasks:
  - id: rendered-json
    type: io.kestra.plugin.core.execution.Labels
    labels: "{{ inputs.asJson }}"
  - id: rendered-map
    type: io.kestra.plugin.core.execution.Labels
    labels:
      "{{ inputs.mapKey }}": "{{ inputs.mapValue }}"
  - id: rendered-list
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: "{{ inputs.listKey }}"
        value: "{{ inputs.listValue }}"
  - id: overrides
    type: io.kestra.plugin.core.execution.Labels
    labels:
      stage: "{{ flow.namespace }}/{{ flow.id }}"
      runBy: "{{ taskrun.id }}"
`,
});

describe('labels effects', () => {
  it('Labels tasks add labels from a rendered JSON string, a map and a list; a key set again is replaced', () => {
    const sim = runFlow(labelled, {
      inputs: {
        asJson: '{"fromJson": "j"}',
        mapKey: 'fromMap',
        mapValue: 'm',
        listKey: 'fromList',
        listValue: 'l',
      },
    });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns).toHaveLength(4);
    const labels = Object.fromEntries(sim.execution.labels.map((l) => [l.key, l.value]));
    expect(labels).toEqual({
      owner: 'data-team',
      stage: 'baton.tests/labelled',
      fromJson: 'j',
      fromMap: 'm',
      fromList: 'l',
      runBy: sim.run1('overrides').id,
      'system.correlationId': 'exec-1',
    });
    expect(sim.execution.labels.filter((l) => l.key === 'stage')).toHaveLength(1);
  });

  it('every task run ends even when a label set is empty', () => {
    const sim = runFlow(labelled, {
      inputs: { asJson: '{}', mapKey: 'a', mapValue: 'b', listKey: 'c', listValue: 'd' },
    });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.every((t) => isTerminal(t.state.current))).toBe(true);
  });
});
