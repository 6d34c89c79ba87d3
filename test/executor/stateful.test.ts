/** Pause, SLA and restart: flows whose run involves timers or operators. Kill, exit, labels: `effects.test.ts`. */
import { describe, expect, it } from 'vitest';
import { flowSource } from './flow-cases.ts';
import { runFlow, type Sim, T0 } from './harness.ts';

const holdThenStamp = (pause: string) =>
  flowSource({
    name: 'hold',
    yaml: `tasks:
  - id: hold
    type: io.kestra.plugin.core.flow.Pause
${pause}
  - id: stamp
    type: io.kestra.plugin.core.debug.Return
    format: "{{ taskrun.startDate }}"
`,
  });

const startOf = (sim: Sim, taskId: string): number => Date.parse(sim.run1(taskId).state.startDate) - T0;

describe('Pause', () => {
  it('delay: PAUSED with one task run, then resumes by itself, runs its tasks and what follows', () => {
    const sim = runFlow(
      holdThenStamp(`    delay: PT30S
    tasks:
      - id: on-wake
        type: io.kestra.plugin.core.log.Log
        message: awake`),
      { until: T0 + 1000 },
    );
    expect(sim.state).toBe('PAUSED');
    expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual(['hold']);
    sim.opts.until = undefined;
    sim.drain();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual(['hold', 'on-wake', 'stamp']);
    expect(startOf(sim, 'stamp')).toBe(30_000);
    expect(sim.run1('hold').state.histories.map((x) => x.state)).toEqual([
      'RUNNING',
      'PAUSED',
      'RUNNING',
      'SUCCESS',
    ]);
  });

  it('timeout: FAILED once it runs out, with a WARN log, and nothing after it runs', () => {
    const sim = runFlow(holdThenStamp('    timeout: PT10S'));
    expect(sim.state).toBe('FAILED');
    expect(sim.execution.taskRuns).toHaveLength(1);
    expect(sim.run1('hold').state.histories.map((x) => x.state)).toEqual(['RUNNING', 'PAUSED', 'FAILED']);
    expect(sim.run1('hold').state.endDate).toBe(new Date(T0 + 10_000).toISOString());
    expect(sim.logs.some((l) => l.level === 'WARN' && l.message.includes("Pause 'hold' timed out"))).toBe(
      true,
    );
  });

  it('pauseDuration with behavior RESUME: goes on by itself once the duration has passed', () => {
    const sim = runFlow(holdThenStamp('    pauseDuration: PT20S\n    behavior: RESUME'));
    expect(sim.state).toBe('SUCCESS');
    expect(startOf(sim, 'stamp')).toBe(20_000);
  });

  // As Kestra's Pause: `behavior` applies when `pauseDuration` has passed (WARN → WARNING and go on,
  // CANCEL → CANCELLED, FAIL → FAILED, both ending the execution there); a `timeout` reached fails it.
  for (const [behavior, state, taskRuns] of [
    ['WARN', 'WARNING', 2],
    ['CANCEL', 'CANCELLED', 1],
    ['FAIL', 'FAILED', 1],
  ] as const)
    it(`pauseDuration with behavior ${behavior}: the pause and the execution end ${state}`, () => {
      const sim = runFlow(holdThenStamp(`    pauseDuration: PT20S\n    behavior: ${behavior}`));
      expect(sim.run1('hold').state.current).toBe(state);
      expect(sim.state).toBe(state);
      expect(sim.execution.taskRuns).toHaveLength(taskRuns);
    });

  it('timeout: FAILED whatever the behavior, which is for pauseDuration', () => {
    const sim = runFlow(holdThenStamp('    timeout: PT10S\n    behavior: WARN'));
    expect(sim.state).toBe('FAILED');
  });

  const approval = flowSource({
    name: 'approval',
    yaml: `tasks:
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: comment
        type: STRING
        required: false
      - id: approver
        type: STRING
        defaults: nobody
  - id: record
    type: io.kestra.plugin.core.output.OutputValues
    values:
      comment: "{{ outputs.approve.onResume.comment ?? 'none given' }}"
      approver: "{{ outputs.approve.onResume.approver }}"
`,
  });
  const recorded = (sim: Sim) => sim.run1('record').outputs?.values;

  it('waits for an operator without delay or timeout; resumed without inputs, defaults apply', () => {
    const sim = runFlow(approval);
    expect(sim.state).toBe('PAUSED');
    sim.push({ type: 'resume' });
    sim.drain();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.run1('approve').outputs).toEqual({ onResume: { approver: 'nobody' } });
    expect(recorded(sim)).toEqual({ comment: 'none given', approver: 'nobody' });
  });

  it('resumed with inputs: they become the outputs of the pause', () => {
    const sim = runFlow(approval);
    sim.push({ type: 'resume', inputs: { comment: 'looks good', approver: 'ana' } });
    sim.drain();
    expect(sim.run1('approve').outputs).toEqual({ onResume: { comment: 'looks good', approver: 'ana' } });
    expect(recorded(sim)).toEqual({ comment: 'looks good', approver: 'ana' });
  });
});

describe('SLA', () => {
  const sleeper = (limit: string, sleep: string) =>
    flowSource({
      name: 'sleeper',
      yaml: `sla:
  - id: budget
    type: MAX_DURATION
    behavior: FAIL
    duration: ${limit}
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: ${sleep}
`,
    });

  it('MAX_DURATION with FAIL fails an execution that runs longer', () => {
    const sim = runFlow(sleeper('PT1S', 'PT5S'));
    expect(sim.state).toBe('FAILED');
  });

  it('MAX_DURATION leaves a quicker execution alone', () => {
    expect(runFlow(sleeper('PT10S', 'PT2S')).state).toBe('SUCCESS');
  });

  const verdicts = flowSource({
    name: 'verdicts',
    yaml: `inputs:
  - id: verdict
    type: SELECT
    values: [ok, stop, flag, broken]
    defaults: ok
sla:
  - id: must-not-stop
    type: EXECUTION_ASSERTION
    behavior: CANCEL
    assert: "{{ inputs.verdict != 'stop' }}"
  - id: flag-for-review
    type: EXECUTION_ASSERTION
    behavior: NONE
    assert: "{{ inputs.verdict != 'flag' }}"
    labels:
      review: needed
  - id: must-not-break
    type: EXECUTION_ASSERTION
    behavior: FAIL
    assert: "{{ inputs.verdict != 'broken' }}"
tasks:
  - id: work
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.verdict }}"
`,
  });
  for (const [verdict, state, label] of [
    ['ok', 'SUCCESS', false],
    ['stop', 'CANCELLED', false],
    ['flag', 'SUCCESS', true],
    ['broken', 'FAILED', false],
  ] as const) {
    it(`EXECUTION_ASSERTION with verdict ${verdict} → ${state}${label ? ', labelled' : ''}`, () => {
      const sim = runFlow(verdicts, { inputs: { verdict } });
      expect(sim.state).toBe(state);
      expect(sim.execution.labels.some((l) => l.key === 'review' && l.value === 'needed')).toBe(label);
    });
  }
});

describe('restart', () => {
  it('restarts the same execution from the failed task, which gets a second attempt', () => {
    const sim = runFlow(
      flowSource({
        name: 'restartable',
        yaml: `tasks:
  - id: one
    type: io.kestra.plugin.core.log.Log
    message: "{{ task.id }}"
  - id: two
    type: io.kestra.plugin.core.log.Log
    message: "{{ task.id }}"
  - id: shaky
    type: io.kestra.plugin.core.log.Log
    # Undefined on the first attempt (no earlier attempt), fine on the next.
    message: "{{ taskrun.attemptsCount > 0 ? 'second try' : notYetDefined }}"
  - id: four
    type: io.kestra.plugin.core.log.Log
    message: "{{ task.id }}"
`,
      }),
    );
    expect(sim.state).toBe('FAILED');
    expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual(['one', 'two', 'shaky']);
    sim.push({ type: 'restart' });
    sim.drain();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.execution.id).toBe('exec-1');
    expect(sim.execution.state.histories.map((h) => h.state)).toContain('RESTARTED');
    expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual(['one', 'two', 'shaky', 'four']);
    expect(sim.run1('shaky').attempts.map((a) => a.state.current)).toEqual(['FAILED', 'SUCCESS']);
    // Tasks that had succeeded are not run again.
    expect(sim.run1('one').attempts).toHaveLength(1);
    expect(sim.execution.taskRuns.every((t) => t.state.current === 'SUCCESS')).toBe(true);
  });
});
