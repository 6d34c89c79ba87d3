/** The Loop flowable (Kestra 1.x) through the pure reducer: items, scoped outputs, collection, failures. */
import { describe, expect, it } from 'vitest';
import { runFlow } from './harness.ts';

describe('Loop', () => {
  it('runs each item with item.value / item.index, outputs scoped to the iteration, collected outputs', () => {
    const sim = runFlow(`id: loop
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: ["alpha", "beta", "gamma"]
    concurrencyLimit: 2
    outputs:
      - id: label
        type: STRING
        value: "{{ outputs.process.value }}"
    tasks:
      - id: process
        type: io.kestra.plugin.core.debug.Return
        format: "{{ item.index }}:{{ item.value }}"
      - id: check
        type: io.kestra.plugin.core.flow.If
        condition: "{{ item.value == 'beta' }}"
        then:
          - id: nested
            type: io.kestra.plugin.core.debug.Return
            format: "{{ item.value }} saw {{ outputs.process.value }}"
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ loopOutputs(outputs.loop.outputs, 'label') | json }} {{ outputs.process ?? 'hidden' }}"
`);
    expect(sim.state).toBe('SUCCESS');
    expect(sim.runsOf('process').map((r) => r.outputs?.value)).toEqual(['0:alpha', '1:beta', '2:gamma']);
    expect(sim.run1('nested').outputs?.value).toBe('beta saw 1:beta');
    const out = sim.run1('loop').outputs!;
    expect(out.iterationCount).toBe(3);
    expect(out.runningIterations).toBe(0);
    expect(out.terminatedIterations).toEqual({ SUCCESS: 3 });
    expect(out.outputs).toEqual(
      expect.arrayContaining([{ item: { value: 'beta', iteration: 1 }, outputs: { label: '1:beta' } }]),
    );
    expect(String(sim.run1('after').outputs?.value)).toMatch(/^\["\d:\w+","\d:\w+","\d:\w+"\] hidden$/);
    expect(sim.runsOf('process').every((r) => r.value === undefined)).toBe(true);
  });

  it('maps give item.key; nested loops give item.parent and item.parents', () => {
    const sim = runFlow(`id: nested
namespace: t
tasks:
  - id: l1
    type: io.kestra.plugin.core.flow.Loop
    values: { dev: d, prod: p }
    concurrencyLimit: 1
    tasks:
      - id: l2
        type: io.kestra.plugin.core.flow.Loop
        values: [1, 2]
        concurrencyLimit: 1
        tasks:
          - id: l3
            type: io.kestra.plugin.core.flow.Loop
            values: ["z"]
            tasks:
              - id: r
                type: io.kestra.plugin.core.debug.Return
                format: "{{ item.parents[0].key }}={{ item.parents[0].value }}/{{ item.parent.value }}/{{ item.value }}"
`);
    expect(sim.state).toBe('SUCCESS');
    expect(sim.runsOf('r').map((r) => r.outputs?.value)).toEqual([
      'dev=d/1/z',
      'dev=d/2/z',
      'prod=p/1/z',
      'prod=p/2/z',
    ]);
  });

  it('a failed iteration fails the Loop and starts no other; transmitFailed: false only counts it', () => {
    const flow = (transmit: boolean) => `id: fail
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: [1, 2, 3]
    concurrencyLimit: 1
    transmitFailed: ${transmit}
    tasks:
      - id: boom
        type: io.kestra.plugin.core.execution.Fail
        condition: "{{ item.value == '2' }}"
`;
    const failing = runFlow(flow(true));
    expect(failing.state).toBe('FAILED');
    expect(failing.runsOf('boom')).toHaveLength(2);
    expect(failing.run1('loop').outputs?.terminatedIterations).toEqual({ SUCCESS: 1, FAILED: 1 });
    const tolerant = runFlow(flow(false));
    expect(tolerant.state).toBe('SUCCESS');
    expect(tolerant.runsOf('boom')).toHaveLength(3);
    expect(tolerant.run1('loop').outputs?.terminatedIterations).toEqual({ SUCCESS: 2, FAILED: 1 });
  });

  it('breakWhen stops starting iterations; errors run after a failure', () => {
    const sim = runFlow(`id: brk
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: [1, 2, 3, 4]
    concurrencyLimit: 1
    breakWhen: "{{ item.value == '2' and iteration.state == 'SUCCESS' }}"
    tasks:
      - id: r
        type: io.kestra.plugin.core.debug.Return
        format: "{{ item.value }}"
  - id: bad
    type: io.kestra.plugin.core.flow.Loop
    values: "[1]"
    tasks:
      - id: boom
        type: io.kestra.plugin.core.execution.Fail
    errors:
      - id: handler
        type: io.kestra.plugin.core.debug.Return
        format: handled
`);
    expect(sim.runsOf('r').map((r) => r.outputs?.value)).toEqual(['1', '2']);
    expect(sim.run1('loop').state.current).toBe('SUCCESS');
    expect(sim.run1('loop').outputs?.iterationCount).toBe(4);
    expect(sim.run1('handler').state.current).toBe('SUCCESS');
    expect(sim.run1('bad').state.current).toBe('FAILED');
  });

  it('rejects values that are not a list or map, and empty values end at once', () => {
    const sim = runFlow(`id: bad
namespace: t
tasks:
  - id: empty
    type: io.kestra.plugin.core.flow.Loop
    values: []
    tasks:
      - id: never
        type: io.kestra.plugin.core.debug.Return
        format: x
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: "{{ 42 }}"
    tasks:
      - id: r
        type: io.kestra.plugin.core.debug.Return
        format: x
`);
    expect(sim.run1('empty').state.current).toBe('SUCCESS');
    expect(sim.run1('empty').outputs?.iterationCount).toBe(0);
    expect(sim.run1('loop').state.current).toBe('FAILED');
    expect(sim.logs.map((l) => l.message).join('\n')).toContain('Loop: values must be a list or a map');
  });

  it('goes on when a task of an iteration ends within the same executor step (executor-run tasks)', () => {
    const sim = runFlow(`id: quick
namespace: t
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: [1, 2]
    tasks:
      - id: check
        type: io.kestra.plugin.core.flow.If
        condition: "{{ true }}"
        then:
          - id: set
            type: io.kestra.plugin.core.execution.SetVariables
            variables: { last: "{{ item.value }}" }
      - id: r
        type: io.kestra.plugin.core.debug.Return
        format: "{{ item.value }}"
`);
    expect(sim.state).toBe('SUCCESS');
    expect(sim.runsOf('r').map((r) => r.outputs?.value)).toEqual(['1', '2']);
  });
});
