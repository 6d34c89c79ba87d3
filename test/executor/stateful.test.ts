/** Pause, SLA, restart, kill, labels and exit: flows whose run involves timers or operators. */
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
