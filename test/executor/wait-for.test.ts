/** WaitFor / LoopUntil: `condition` is the exit condition; limits; rendered check frequency. */
import { describe, expect, it } from 'vitest';
import { flowFromYaml, runFlow, Sim, T0 } from './harness.ts';

describe('WaitFor', () => {
  it("children read the iteration number as the loop's iterationCount; it ends once the condition holds", () => {
    const sim = runFlow(`id: poll
namespace: baton.tests
tasks:
  - id: poll
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.probe.values.seen == '3' }}"
    checkFrequency:
      interval: PT0S
    tasks:
      - id: probe
        type: io.kestra.plugin.core.output.OutputValues
        values:
          seen: "{{ outputs.poll.iterationCount }}"
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.probe.values.seen }}"
`);
    expect(sim.state).toBe('SUCCESS');
    expect(
      sim.runsOf('probe').map((r) => (r.outputs?.values as { seen?: string } | undefined)?.seen),
    ).toEqual(['1', '2', '3']);
    expect(sim.runsOf('probe').map((r) => r.iteration)).toEqual([0, 1, 2]);
    expect(sim.run1('poll').outputs?.iterationCount).toBe(3);
    expect(sim.run1('after').outputs?.value).toBe('3');
  });
});

const loop = (condition: string, extra = '', format = '"{{ outputs.w.iterationCount }}"') =>
  flowFromYaml(`id: w
namespace: t
tasks:
  - id: w
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "${condition}"
${extra}    tasks:
      - id: r
        type: io.kestra.plugin.core.debug.Return
        format: ${format}
`);

describe('WaitFor / LoopUntil', () => {
  it('condition is the exit condition: loops while falsy, iterationCount counts from 1', () => {
    const sim = new Sim(
      loop("{{ outputs.r.value == '4' }}", '    checkFrequency: { interval: PT0S }\n'),
    ).run();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.runsOf('r').map((r) => r.outputs?.value)).toEqual(['1', '2', '3', '4']);
    expect(sim.runsOf('r').map((r) => r.iteration)).toEqual([0, 1, 2, 3]);
    expect(sim.run1('w').outputs?.iterationCount).toBe(4);
  });

  it('waits checkFrequency.interval between iterations', () => {
    const sim = new Sim(
      loop("{{ outputs.r.value == '3' }}", '    checkFrequency: { interval: PT10S }\n'),
    ).run();
    expect(sim.state).toBe('SUCCESS');
    const starts = sim.runsOf('r').map((r) => Date.parse(r.state.startDate) - T0);
    expect(starts).toEqual([0, 10_000, 20_000]);
  });

  it('stops at maxIterations, failing with failOnMaxReached', () => {
    const sim = new Sim(
      loop(
        '{{ false }}',
        '    failOnMaxReached: true\n    checkFrequency: { maxIterations: 3, interval: PT0S }\n',
      ),
    ).run();
    expect(sim.state).toBe('FAILED');
    expect(sim.runsOf('r').length).toBe(3);
    expect(sim.logs.some((l) => l.level === 'WARN' && l.message === 'Max iterations reached')).toBe(true);
  });

  it('maxIterations reached without failOnMaxReached ends in SUCCESS', () => {
    const sim = new Sim(
      loop('{{ false }}', '    checkFrequency: { maxIterations: 2, interval: PT0S }\n'),
    ).run();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.runsOf('r').length).toBe(2);
  });

  it('maxDuration reached ends FAILED with failOnMaxReached', () => {
    const sim = new Sim(
      loop(
        '{{ false }}',
        '    failOnMaxReached: true\n    checkFrequency: { maxDuration: PT25S, interval: PT10S }\n',
      ),
    ).run();
    expect(sim.state).toBe('FAILED');
    expect(sim.runsOf('r').length).toBe(4);
    expect(sim.logs.some((l) => l.message === 'Max duration reached')).toBe(true);
  });

  it('renders checkFrequency durations and maxIterations from inputs', () => {
    const flow = loop(
      '{{ false }}',
      `    failOnMaxReached: true
    checkFrequency:
      interval: "{{ inputs.every }}"
      maxIterations: "{{ inputs.max }}"
`,
    );
    const sim = new Sim(flow, { inputs: { every: 'PT5S', max: 3 } }).run();
    expect(sim.state).toBe('FAILED');
    const starts = sim.runsOf('r').map((r) => Date.parse(r.state.startDate) - T0);
    expect(starts).toEqual([0, 5_000, 10_000]);
  });

  it('an interval that does not render to a duration fails the task run with a log line', () => {
    const sim = new Sim(loop('{{ false }}', '    checkFrequency: { interval: "{{ inputs.every }}" }\n'), {
      inputs: { every: 'soon' },
    }).run();
    expect(sim.state).toBe('FAILED');
    expect(sim.run1('w').state.current).toBe('FAILED');
    const log = sim.logs.find((l) => l.level === 'ERROR');
    expect(log?.message).toMatch(
      /checkFrequency\.interval rendered to 'soon', which is not an ISO-8601 duration/,
    );
  });
});
