/**
 * Retries: until success (warningOnRetry), exhausted then `errors`, maxDuration, exponential, on a
 * flowable, flow-level. Policy arithmetic: test/executor/retry.test.ts.
 */
import { expect } from 'vitest';
import { attemptStarts, type FlowCase, statesOf } from '../flow-cases.ts';

export const retries: FlowCase[] = [
  {
    name: 'retry-until-success-warns',
    yaml: `tasks:
  - id: flaky
    type: io.kestra.plugin.core.log.Log
    # Fails (undefined variable) on the first two attempts: attemptsCount counts the earlier ones.
    message: "{{ taskrun.attemptsCount == 2 ? 'third time lucky' : notYet }}"
    retry:
      type: constant
      interval: PT0.2S
      maxAttempt: 5
      maxDuration: PT1M
      warningOnRetry: true
errors:
  - id: not-needed
    type: io.kestra.plugin.core.log.Log
    message: never
`,
    state: 'WARNING',
    tr: 1,
    check: (sim) => {
      expect(sim.run1('flaky').attempts.map((a) => a.state.current)).toEqual(['FAILED', 'FAILED', 'SUCCESS']);
      expect(attemptStarts(sim, 'flaky')).toEqual([0, 200, 400]);
    },
  },
  {
    name: 'retries-exhausted-then-errors',
    yaml: `tasks:
  - id: broken
    type: io.kestra.plugin.core.execution.Fail
    retry:
      type: constant
      interval: PT0.1S
      maxAttempt: 4
  - id: after-broken
    type: io.kestra.plugin.core.log.Log
    message: never
errors:
  - id: handler
    type: io.kestra.plugin.core.log.Log
    message: "{{ task.id }}"
`,
    state: 'FAILED',
    tr: 2,
    check: (sim) => {
      expect(sim.run1('broken').attempts.map((a) => a.state.current)).toEqual([
        'FAILED',
        'FAILED',
        'FAILED',
        'FAILED',
      ]);
      // The next task waits for the last attempt, then never runs; the error branch runs once.
      expect(sim.runsOf('after-broken')).toEqual([]);
      expect(statesOf(sim, 'handler')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'retry-stops-at-max-duration',
    yaml: `tasks:
  - id: broken
    type: io.kestra.plugin.core.execution.Fail
    retry:
      type: constant
      interval: PT1S
      maxAttempt: 10
      maxDuration: PT2.5S
`,
    state: 'FAILED',
    tr: 1,
    check: (sim) => expect(attemptStarts(sim, 'broken')).toEqual([0, 1000, 2000]),
  },
  {
    name: 'exponential-retry',
    yaml: `tasks:
  - id: broken
    type: io.kestra.plugin.core.execution.Fail
    retry:
      type: exponential
      interval: PT0.1S
      maxInterval: PT0.3S
      maxAttempt: 4
      maxDuration: PT1M
`,
    state: 'FAILED',
    tr: 1,
    // Waits 0.1 s, 0.2 s, then 0.4 s capped at maxInterval (0.3 s).
    check: (sim) => expect(attemptStarts(sim, 'broken')).toEqual([0, 100, 300, 600]),
  },
  {
    name: 'retry-on-a-flowable-reruns-its-child',
    yaml: `tasks:
  - id: block
    type: io.kestra.plugin.core.flow.Sequential
    retry:
      type: constant
      interval: PT0.1S
      maxAttempt: 3
    tasks:
      - id: child
        type: io.kestra.plugin.core.execution.Fail
`,
    state: 'FAILED',
    tr: 2,
    check: (sim) => expect(sim.run1('child').attempts).toHaveLength(3),
  },
  {
    name: 'flow-level-retry-applies-to-every-task',
    yaml: `retry:
  behavior: RETRY_FAILED_TASK
  type: constant
  interval: PT0.1S
  maxAttempt: 3
tasks:
  - id: flaky
    type: io.kestra.plugin.core.log.Log
    message: "{{ taskrun.attemptsCount == 1 ? 'ok' : notYet }}"
  - id: own-policy
    type: io.kestra.plugin.core.execution.Fail
    allowFailure: true
    retry:
      type: constant
      interval: PT0.1S
      maxAttempt: 2
  - id: broken
    type: io.kestra.plugin.core.execution.Fail
`,
    state: 'FAILED',
    tr: 3,
    check: (sim) => {
      expect(sim.run1('flaky').attempts.map((a) => a.state.current)).toEqual(['FAILED', 'SUCCESS']);
      // A task's own policy replaces the flow's.
      expect(sim.run1('own-policy').attempts).toHaveLength(2);
      expect(sim.run1('broken').attempts).toHaveLength(3);
    },
  },
];
