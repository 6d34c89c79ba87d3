/** Subflow and ForEachItem: start-subflow effects, waiting on subflow-update events, outputs. */
import { describe, expect, it } from 'vitest';
import type { SideEffect } from '../../src/executor/types.ts';
import { HAS_CONFORMANCE, runFlow, type WorkerAnswer } from './harness.ts';

type StartSubflow = Extract<SideEffect, { kind: 'start-subflow' }>;

describe.skipIf(!HAS_CONFORMANCE)('Subflow', () => {
  it('task-flow (OK): waits for the child, renders its outputs, passes labels and trigger', () => {
    const sim = runFlow('task-flow.yaml', {
      inputs: { string: 'OK' },
      subflow: () => ({ state: 'SUCCESS' }),
    });
    // The simulated child gives no task outputs: `extracted` cannot be rendered → FAILED, as Kestra's FIRST case.
    expect(sim.state).toBe('FAILED');
    const start = sim.effects.find((e): e is StartSubflow => e.kind === 'start-subflow')!;
    expect(start).toMatchObject({
      namespace: 'io.kestra.tests',
      flowId: 'switch',
      wait: true,
      inputs: { string: 'OK' },
    });
    expect(start.labels).toEqual(
      expect.arrayContaining([
        { key: 'mainFlowLabel', value: 'flowFoo' },
        { key: 'launchTaskLabel', value: 'launchFoo' },
      ]),
    );
    expect(start.labels.some((l) => l.key.startsWith('system.'))).toBe(false);
    expect(start.trigger).toMatchObject({
      type: 'io.kestra.plugin.core.flow.Subflow',
      variables: { executionId: 'exec-1' },
    });
    expect(sim.execution.taskRuns.length).toBe(1);
  });

  it('renders the legacy outputs property against the child task outputs', () => {
    const sim = runFlow('task-flow.yaml', { inputs: { string: 'OK' } });
    const tr = sim.run1('launch');
    sim.step([
      { type: 'subflow-update', taskRunId: tr.id, childExecutionId: 'c1', state: 'RUNNING' },
      {
        type: 'subflow-update',
        taskRunId: tr.id,
        childExecutionId: 'c1',
        state: 'SUCCESS',
        taskOutputs: { default: { value: 'default > amazing' } },
      },
    ]);
    expect(sim.state).toBe('SUCCESS');
    expect(sim.run1('launch').outputs).toEqual({
      executionId: 'c1',
      state: 'SUCCESS',
      outputs: { extracted: 'default > amazing' },
    });
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

describe.skipIf(!HAS_CONFORMANCE)('ForEachItem', () => {
  it('split, one subflow per batch, merge: TR 4 and iteration counts', () => {
    const uris = Array.from({ length: 26 }, (_, i) => `kestra:///batch-${i}.txt`);
    const sim = runFlow('for-each-item.yaml', {
      inputs: { file: 'kestra:///file.txt', batch: 4 },
      subflow: () => ({ state: 'SUCCESS' }),
      worker: (task) => {
        if (task.id === 'each_split') return { state: 'SUCCESS', outputs: { splits: uris } };
        if (task.id === 'each_merge')
          return { state: 'SUCCESS', outputs: { subflowOutputs: 'kestra:///merged.ion' } };
        return undefined;
      },
    });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual([
      'each',
      'each_split',
      'each_items',
      'each_merge',
    ]);
    const items = sim.execution.taskRuns[2]!;
    expect(items.attempts.map((a) => a.state.current)).toEqual(['SUCCESS']);
    expect(items.outputs).toEqual({
      numberOfBatches: 26,
      iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 26 },
    });
    const starts = sim.effects.filter((e): e is StartSubflow => e.kind === 'start-subflow');
    expect(starts.length).toBe(26);
    expect(starts[3]!.inputs).toEqual({ items: 'kestra:///batch-3.txt' });
    expect(starts[3]!.iteration).toBe(4);
    // As in Kestra, the ForEachItem task run itself has no outputs; the merge task run has the file.
    expect(sim.run1('each').outputs).toBeUndefined();
    expect(sim.run1('each_merge').outputs).toEqual({ subflowOutputs: 'kestra:///merged.ion' });
  });

  const parentFlow = (wait: boolean) => `id: p
namespace: t
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: kestra:///file.txt
    namespace: t
    flowId: child
    wait: ${wait}
    inputs:
      items: "{{ taskrun.items }}"
`;
  const splitInto =
    (n: number) =>
    (task: { id: string }): WorkerAnswer | undefined =>
      task.id === 'each_split'
        ? { state: 'SUCCESS', outputs: { splits: Array.from({ length: n }, (_, i) => `kestra:///b${i}`) } }
        : undefined;

  it('wait: false has the same four task runs; a batch counts as SUCCESS once its child exists', () => {
    const sim = runFlow(parentFlow(false), { worker: splitInto(3), subflow: () => ({ state: 'FAILED' }) });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual([
      'each',
      'each_split',
      'each_items',
      'each_merge',
    ]);
    expect(sim.run1('each_items').outputs).toEqual({
      numberOfBatches: 3,
      iterations: { RUNNING: 0, SUCCESS: 3 },
    });
    expect(sim.run1('each').outputs).toBeUndefined();
  });

  it('failed children fail the items task run; merge does not run (three task runs)', () => {
    const sim = runFlow(parentFlow(true), { worker: splitInto(2), subflow: () => ({ state: 'FAILED' }) });
    expect(sim.state).toBe('FAILED');
    expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual(['each', 'each_split', 'each_items']);
    expect(sim.run1('each_items').outputs).toEqual({
      numberOfBatches: 2,
      iterations: { CREATED: 0, RUNNING: 0, FAILED: 2 },
    });
  });

  it('no items: no subflow, the items task run has no outputs, four task runs', () => {
    const sim = runFlow(parentFlow(true), { worker: splitInto(0) });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.length).toBe(4);
    expect(sim.run1('each_items').outputs).toBeUndefined();
    expect(sim.effects.some((e) => e.kind === 'start-subflow')).toBe(false);
  });

  it('a child that cannot be created fails the items task run with the reason logged', () => {
    // Without a `subflow` answer the children never report: the items task run waits.
    const sim = runFlow(parentFlow(true), { worker: splitInto(2) });
    const tr = sim.run1('each_items');
    sim.step([
      {
        type: 'subflow-update',
        taskRunId: tr.id,
        childExecutionId: 'never',
        state: 'FAILED',
        iteration: 1,
        error: 'Flow not found: t.child',
      },
    ]);
    sim.drain();
    expect(sim.state).toBe('FAILED');
    expect(sim.run1('each_items').state.current).toBe('FAILED');
    expect(sim.logs.find((l) => l.level === 'ERROR')?.message).toBe(
      'Unable to start the subflow of batch 1: Flow not found: t.child',
    );
  });
});
