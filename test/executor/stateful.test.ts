/** Pause, WaitFor, SLA, restart, kill, labels and exit: flows whose run involves timers or operators. */
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/execution/types.ts';
import { flowFromYaml, HAS_CONFORMANCE, runFlow, Sim, T0 } from './harness.ts';

describe.skipIf(!HAS_CONFORMANCE)('Pause', () => {
  it('pause-delay: PAUSED with 1 task run, then resumes after the delay', () => {
    const sim = runFlow('pause-delay.yaml', { until: T0 + 1000 });
    expect(sim.state).toBe('PAUSED');
    expect(sim.execution.taskRuns.length).toBe(1);
    sim.opts.until = undefined;
    sim.drain();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.length).toBe(3);
    const h = sim.run1('pause').state.histories.map((x) => x.state);
    expect(h.filter((s) => s === 'PAUSED').length).toBe(1);
    expect(h.filter((s) => s === 'RUNNING').length).toBe(2);
  });

  it('pause-timeout: FAILED after the timeout', () => {
    const sim = runFlow('pause-timeout.yaml');
    expect(sim.state).toBe('FAILED');
    expect(sim.execution.taskRuns.length).toBe(1);
    const h = sim.run1('pause').state.histories.map((x) => x.state);
    expect(h).toEqual(['RUNNING', 'PAUSED', 'FAILED']);
  });

  it('resume without inputs: optional onResume input missing', () => {
    const sim = runFlow('pause_on_resume_optional.yaml');
    expect(sim.state).toBe('PAUSED');
    sim.push({ type: 'resume' });
    sim.drain();
    expect(sim.state).toBe('SUCCESS');
    expect((sim.run1('last').outputs!.values as Record<string, unknown>).asked).toBe('MISSING');
  });

  it('resume with inputs: they become the pause outputs', () => {
    const sim = runFlow('pause_on_resume_optional.yaml');
    sim.push({ type: 'resume', inputs: { asked: 'yes' } });
    sim.drain();
    expect(sim.run1('pause').outputs).toEqual({ onResume: { asked: 'yes' } });
    expect((sim.run1('last').outputs!.values as Record<string, unknown>).asked).toBe('yes');
  });
});

describe.skipIf(!HAS_CONFORMANCE)('WaitFor', () => {
  it('waitfor.yaml: the condition holds after the first iteration, so the loop ends there', () => {
    const sim = runFlow('waitfor.yaml');
    expect(sim.state).toBe('SUCCESS');
    expect(sim.run1('waitfor').outputs?.iterationCount).toBe(1);
    expect(sim.runsOf('output_values').map((r) => r.iteration)).toEqual([0]);
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

describe.skipIf(!HAS_CONFORMANCE)('SLA', () => {
  it('MAX_DURATION FAIL fails a long execution', () => {
    const sim = runFlow('sla-max-duration-fail.yaml');
    expect(sim.state).toBe('FAILED');
  });
  for (const [input, state, label] of [
    ['PASS', 'SUCCESS', false],
    ['CANCEL', 'CANCELLED', false],
    ['LABEL', 'SUCCESS', true],
  ] as const) {
    it(`EXECUTION_ASSERTION with ${input} → ${state}`, () => {
      const sim = runFlow('sla-execution-condition.yaml', { inputs: { string: input } });
      expect(sim.state).toBe(state);
      expect(sim.execution.labels.some((l) => l.key === 'sla' && l.value === 'violated')).toBe(label);
    });
  }
});

describe.skipIf(!HAS_CONFORMANCE)('restart', () => {
  it('restart_last_failed: same execution, failed task gets a second attempt', () => {
    const sim = runFlow('restart_last_failed.yaml');
    expect(sim.state).toBe('FAILED');
    expect(sim.execution.taskRuns.length).toBe(3);
    sim.push({ type: 'restart' });
    sim.drain();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.state.histories.map((h) => h.state)).toContain('RESTARTED');
    expect(sim.execution.taskRuns.length).toBe(4);
    expect(sim.run1('c').attempts.length).toBe(2);
    expect(sim.execution.taskRuns.every((t) => t.state.current === 'SUCCESS')).toBe(true);
  });
});

describe.skipIf(!HAS_CONFORMANCE)('kill', () => {
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

describe.skipIf(!HAS_CONFORMANCE)('exit effect', () => {
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

describe.skipIf(!HAS_CONFORMANCE)('labels and exit effects', () => {
  it('labels-update-task merges labels by key', () => {
    const sim = runFlow('labels-update-task.yml', {
      inputs: {
        labelsJson: '{"keyFromJson": "valueFromJson"}',
        labelsMapKey: 'keyFromMap',
        labelsMapValue: 'valueFromMap',
        labelsListKey: 'keyFromList',
        labelsListValue: 'valueFromList',
      },
    });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.length).toBe(4);
    const labels = Object.fromEntries(sim.execution.labels.map((l) => [l.key, l.value]));
    expect(labels).toMatchObject({
      flowLabelKey: 'flowLabelValue',
      overriddenFlowLabelKey: 'io.kestra.tests.labels-update-task',
      keyFromJson: 'valueFromJson',
      keyFromMap: 'valueFromMap',
      keyFromList: 'valueFromList',
      'system.correlationId': 'exec-1',
    });
  });
  it('all task runs end', () => {
    const sim = runFlow('labels-update-task.yml', {
      inputs: {
        labelsJson: '{}',
        labelsMapKey: 'a',
        labelsMapValue: 'b',
        labelsListKey: 'c',
        labelsListValue: 'd',
      },
    });
    expect(sim.execution.taskRuns.every((t) => isTerminal(t.state.current))).toBe(true);
  });
});
