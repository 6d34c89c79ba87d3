/** Subflow: start-subflow effects, waiting on subflow-update events, outputs. ForEachItem: `for-each-item.test.ts`. */
import { describe, expect, it } from 'vitest';
import type { SideEffect } from '../../src/executor/types.ts';
import { runFlow, type Sim } from './harness.ts';

type StartSubflow = Extract<SideEffect, { kind: 'start-subflow' }>;

const launcher = `id: launcher
namespace: baton.tests
inputs:
  - id: mode
    type: STRING
labels:
  team: growth
tasks:
  - id: launch
    type: io.kestra.plugin.core.flow.Subflow
    namespace: baton.children
    flowId: worker
    inputs:
      mode: "{{ inputs.mode }}"
    wait: true
    transmitFailed: true
    inheritLabels: true
    labels:
      launchedBy: "{{ flow.id }}"
    outputs:
      summary: "{{ outputs.report.value ?? outputs.fallback.value }}"
`;

/** Delivers the child's RUNNING then its end, with these task outputs, to the only `launch` task run. */
const childEnds = (
  sim: Sim,
  taskOutputs: Record<string, unknown>,
  state: 'SUCCESS' | 'FAILED' = 'SUCCESS',
) => {
  const tr = sim.run1('launch');
  sim.step([
    { type: 'subflow-update', taskRunId: tr.id, childExecutionId: 'c1', state: 'RUNNING' },
    { type: 'subflow-update', taskRunId: tr.id, childExecutionId: 'c1', state, taskOutputs },
  ]);
};

describe('Subflow', () => {
  it('starts the child with rendered inputs, inherited and own labels, and the parent as trigger', () => {
    const sim = runFlow(launcher, { inputs: { mode: 'fast' } });
    expect(sim.state).toBe('RUNNING');
    const start = sim.effects.find((e): e is StartSubflow => e.kind === 'start-subflow')!;
    expect(start).toMatchObject({
      parentTaskRunId: sim.run1('launch').id,
      namespace: 'baton.children',
      flowId: 'worker',
      wait: true,
      inputs: { mode: 'fast' },
    });
    expect(start.labels).toEqual([
      { key: 'team', value: 'growth' },
      { key: 'launchedBy', value: 'launcher' },
    ]);
    expect(start.trigger).toMatchObject({
      id: 'launch',
      type: 'io.kestra.plugin.core.flow.Subflow',
      variables: { executionId: 'exec-1', namespace: 'baton.tests', flowId: 'launcher' },
    });
  });

  it('a child whose outputs cannot render the `outputs` property fails the task run', () => {
    const sim = runFlow(launcher, { inputs: { mode: 'fast' }, subflow: () => ({ state: 'SUCCESS' }) });
    expect(sim.state).toBe('FAILED');
    expect(sim.execution.taskRuns).toHaveLength(1);
    expect(sim.logs.find((l) => l.level === 'ERROR')?.message).toMatch(
      /Unable to render the subflow outputs/,
    );
  });

  it('renders the legacy `outputs` property against the child task outputs', () => {
    const sim = runFlow(launcher, { inputs: { mode: 'fast' } });
    childEnds(sim, { report: { value: 'fast: 12 rows' } });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.run1('launch').outputs).toEqual({
      executionId: 'c1',
      state: 'SUCCESS',
      outputs: { summary: 'fast: 12 rows' },
    });
  });

  it('`??` in the `outputs` property falls back to another child task', () => {
    const sim = runFlow(launcher, { inputs: { mode: 'slow' } });
    childEnds(sim, { fallback: { value: 'partial' } });
    expect(sim.run1('launch').outputs?.outputs).toEqual({ summary: 'partial' });
  });

  const plain = (extra = '') => `id: p
namespace: t
labels:
  team: growth
tasks:
  - id: s
    type: io.kestra.plugin.core.flow.Subflow
    namespace: t
    flowId: child
    labels:
      own: yes
${extra}`;

  it('without an `outputs` property, the child flow outputs become `outputs`; labels are not inherited', () => {
    const sim = runFlow(plain(), { subflow: () => ({ state: 'SUCCESS', outputs: { total: 3 } }) });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.run1('s').outputs).toEqual({
      executionId: 'child-tr-1-0',
      state: 'SUCCESS',
      outputs: { total: 3 },
    });
    const start = sim.effects.find((e): e is StartSubflow => e.kind === 'start-subflow')!;
    expect(start.labels).toEqual([{ key: 'own', value: 'yes' }]);
  });

  it('a child ending in WARNING ends the task run in WARNING', () => {
    const sim = runFlow(plain(), { subflow: () => ({ state: 'WARNING' }) });
    expect(sim.state).toBe('WARNING');
  });

  it('transmitFailed: false keeps the parent going when the child fails', () => {
    const sim = runFlow(plain('    transmitFailed: false\n'), { subflow: () => ({ state: 'FAILED' }) });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.run1('s').outputs).toMatchObject({ state: 'FAILED' });
  });

  it('transmitFailed: a failed child fails the task run', () => {
    const sim = runFlow(
      `id: p
namespace: t
tasks:
  - id: s
    type: io.kestra.plugin.core.flow.Subflow
    namespace: t
    flowId: child
`,
      { subflow: () => ({ state: 'FAILED' }) },
    );
    expect(sim.state).toBe('FAILED');
    expect(sim.run1('s').outputs).toMatchObject({ state: 'FAILED' });
  });

  it('wait: false succeeds once the child exists', () => {
    const sim = runFlow(
      `id: p
namespace: t
tasks:
  - id: s
    type: io.kestra.plugin.core.flow.Subflow
    namespace: t
    flowId: child
    wait: false
`,
      { subflow: () => ({ state: 'FAILED' }) },
    );
    expect(sim.state).toBe('SUCCESS');
    expect(sim.run1('s').outputs).toEqual({ executionId: 'child-tr-1-0' });
  });
});

describe('Subflow whose child could not be created', () => {
  const parent = (wait: boolean) => `id: p
namespace: t
tasks:
  - id: s
    type: io.kestra.plugin.core.flow.Subflow
    namespace: t
    flowId: missing
    wait: ${wait}
`;
  for (const wait of [true, false])
    it(`fails with the reason in an ERROR log line and no executionId output (wait: ${wait})`, () => {
      const sim = runFlow(parent(wait));
      const tr = sim.run1('s');
      sim.step([
        {
          type: 'subflow-update',
          taskRunId: tr.id,
          childExecutionId: 'never-created',
          state: 'FAILED',
          error: 'Flow not found: t.missing',
        },
      ]);
      expect(sim.state).toBe('FAILED');
      expect(sim.run1('s').state.current).toBe('FAILED');
      expect(sim.run1('s').outputs?.executionId).toBeUndefined();
      const log = sim.logs.find((l) => l.level === 'ERROR');
      expect(log).toMatchObject({
        taskId: 's',
        message: 'Unable to start the subflow: Flow not found: t.missing',
      });
    });
});
