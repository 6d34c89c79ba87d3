/** Duration properties of flowable tasks written as expressions: rendered, and failing clearly when invalid. */
import { describe, expect, it } from 'vitest';
import { flowFromYaml, Sim, T0 } from './harness.ts';

describe('duration properties written as expressions', () => {
  const pauseFlow = (props: string) =>
    flowFromYaml(`id: p
namespace: t
inputs:
  - id: wait
    type: DURATION
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
${props}  - id: after
    type: io.kestra.plugin.core.log.Log
    message: resumed
`);

  it('Pause delay from a DURATION input resumes after that long', () => {
    const sim = new Sim(pauseFlow('    delay: "{{ inputs.wait }}"\n'), { inputs: { wait: 'PT30S' } }).run();
    expect(sim.state).toBe('SUCCESS');
    expect(Date.parse(sim.run1('after').state.startDate) - T0).toBe(30_000);
  });

  it('Pause timeout from an input fails the task run after that long', () => {
    const sim = new Sim(pauseFlow('    timeout: "{{ inputs.wait }}"\n'), { inputs: { wait: 'PT1M' } }).run();
    expect(sim.state).toBe('FAILED');
    expect(Date.parse(sim.run1('pause').state.endDate!) - T0).toBe(60_000);
    expect(sim.logs.some((l) => l.message === "Pause 'pause' timed out after PT1M")).toBe(true);
  });

  it('Pause pauseDuration written as an expression, with behavior WARN, ends in WARNING', () => {
    const sim = new Sim(pauseFlow('    pauseDuration: "{{ inputs.wait }}"\n    behavior: WARN\n'), {
      inputs: { wait: 'PT1M' },
    }).run();
    expect(sim.run1('pause').state.current).toBe('WARNING');
    expect(sim.state).toBe('WARNING');
  });

  it('a Pause delay that does not render to a duration fails at once with a clear log line', () => {
    const sim = new Sim(pauseFlow('    delay: "{{ inputs.wait }}"\n'), { inputs: { wait: 'later' } }).run();
    expect(sim.state).toBe('FAILED');
    expect(sim.run1('pause').state.current).toBe('FAILED');
    expect(sim.runsOf('after').length).toBe(0);
    const log = sim.logs.find((l) => l.level === 'ERROR');
    expect(log?.message).toBe(
      "Task 'pause': delay rendered to 'later', which is not an ISO-8601 duration such as PT30S, PT5M or P1D",
    );
  });

  const sequentialFlow = flowFromYaml(`id: s
namespace: t
tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    timeout: "{{ inputs.limit }}"
    tasks:
      - id: nap
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT10M
`);

  it("a flowable task's timeout from an input stops it after that long", () => {
    const sim = new Sim(sequentialFlow, { inputs: { limit: 'PT5S' }, until: T0 + 6_000 }).run();
    expect(sim.run1('seq').state.current).toBe('FAILED');
    expect(Date.parse(sim.run1('seq').state.endDate!) - T0).toBe(5_000);
    expect(sim.logs.some((l) => l.message === "Task 'seq' timed out after PT5S")).toBe(true);
  });

  it("a flowable task's timeout that does not render to a duration fails it with a log line", () => {
    const sim = new Sim(sequentialFlow, { inputs: { limit: '' } }).run();
    expect(sim.state).toBe('FAILED');
    expect(sim.runsOf('nap').length).toBe(0);
    expect(sim.logs.find((l) => l.level === 'ERROR')?.message).toMatch(
      /^Task 'seq': timeout rendered to an empty value, which is not an ISO-8601 duration/,
    );
  });
});
