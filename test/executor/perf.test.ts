/** The executor stays linear on large executions (see run-index.ts and scope.ts). */
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/flow/types.ts';
import { Sim } from './harness.ts';

const loop = (n: number, concurrencyLimit: number): Flow => ({
  id: 'big',
  namespace: 't',
  tasks: [
    {
      id: 'each',
      type: 'io.kestra.plugin.core.flow.ForEach',
      values: Array.from({ length: n }, (_, i) => `v${i}`),
      concurrencyLimit,
      tasks: [{ id: 'ret', type: 'io.kestra.plugin.core.debug.Return', format: '{{ taskrun.value }}' }],
    },
  ],
});

describe('performance', () => {
  it('ForEach over 10,000 values, one at a time, well under 10 s', () => {
    const t = performance.now();
    const sim = new Sim(loop(10_000, 1), { maxSteps: 100_000 }).run();
    const ms = performance.now() - t;
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.length).toBe(10_001);
    expect((sim.execution.taskRuns[10_000]!.outputs as { value: string }).value).toBe('v9999');
    expect(ms).toBeLessThan(10_000);
  });

  it('ForEach over 10,000 values, all at once', () => {
    const sim = new Sim(loop(10_000, 0), { maxSteps: 100_000 }).run();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.length).toBe(10_001);
  });

  it('Loop over 10,000 values, all at once and one at a time, well under 10 s each', () => {
    for (const concurrencyLimit of [0, 1]) {
      const flow = loop(10_000, concurrencyLimit);
      flow.tasks[0]!.type = 'io.kestra.plugin.core.flow.Loop';
      (flow.tasks[0]!.tasks as { format: string }[])[0]!.format = '{{ item.value }}';
      const t = performance.now();
      const sim = new Sim(flow, { maxSteps: 100_000 }).run();
      const ms = performance.now() - t;
      expect(sim.state).toBe('SUCCESS');
      expect(sim.execution.taskRuns.length).toBe(10_001);
      expect(sim.execution.taskRuns[0]!.outputs?.terminatedIterations).toEqual({ SUCCESS: 10_000 });
      expect(ms).toBeLessThan(10_000);
    }
  });

  it('40 sequential tasks cost well under 1 ms of executor time each', () => {
    const flow: Flow = {
      id: 'seq',
      namespace: 't',
      tasks: Array.from({ length: 40 }, (_, i) => ({
        id: `t${i}`,
        type: 'io.kestra.plugin.core.debug.Return',
        format: 'x',
      })),
    };
    new Sim(flow).run(); // warm-up
    const sim = new Sim(flow);
    const t = performance.now();
    sim.run();
    const ms = performance.now() - t;
    expect(sim.state).toBe('SUCCESS');
    expect(ms / 40).toBeLessThan(1);
  });
});
