/** ForEachItem through the reducer: split, one subflow per batch, merge; outputs and failures of batches. */
import { describe, expect, it } from 'vitest';
import type { SideEffect } from '../../src/executor/types.ts';
import { runFlow, type WorkerAnswer } from './harness.ts';

type StartSubflow = Extract<SideEffect, { kind: 'start-subflow' }>;

const batches = `id: batches
namespace: baton.tests
inputs:
  - id: file
    type: FILE
  - id: rows
    type: INT
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      rows: "{{ inputs.rows }}"
    namespace: baton.children
    flowId: batch-worker
    wait: true
    transmitFailed: true
    inputs:
      chunk: "{{ taskrun.items }}"
`;

describe('ForEachItem', () => {
  it('split, one subflow per batch (numbered from 1), merge: four task runs and iteration counts', () => {
    const uris = Array.from({ length: 5 }, (_, i) => `kestra:///batch-${i}.txt`);
    const sim = runFlow(batches, {
      inputs: { file: 'kestra:///file.txt', rows: 4 },
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
      numberOfBatches: 5,
      iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 5 },
    });
    const starts = sim.effects.filter((e): e is StartSubflow => e.kind === 'start-subflow');
    expect(starts.length).toBe(5);
    expect(starts[3]).toMatchObject({
      namespace: 'baton.children',
      flowId: 'batch-worker',
      inputs: { chunk: 'kestra:///batch-3.txt' },
    });
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
