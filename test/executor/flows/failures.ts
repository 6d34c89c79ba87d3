/**
 * Failing on purpose and tolerating failures: Fail with a condition or in a Switch, AllowFailure (with
 * local and flow `errors`), a task's allowFailure / allowWarning / runIf.
 */
import { expect } from 'vitest';
import { attemptStarts, type FlowCase, statesOf } from '../flow-cases.ts';
import type { Sim } from '../harness.ts';

const guard = `inputs:
  - id: mode
    type: STRING
tasks:
  - id: prepare
    type: io.kestra.plugin.core.log.Log
    message: preparing
  - id: guard
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ inputs.mode == 'abort' }}"
    errorMessage: aborted on request
  - id: proceed
    type: io.kestra.plugin.core.log.Log
    message: proceeding
`;

const route = `inputs:
  - id: kind
    type: STRING
tasks:
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.kind }}"
    cases:
      csv:
        - id: parse-csv
          type: io.kestra.plugin.core.log.Log
          message: csv
      xml:
        - id: refuse-xml
          type: io.kestra.plugin.core.execution.Fail
          errorMessage: xml is not supported
`;

export const failOnPurpose: FlowCase[] = [
  {
    name: 'fail-when-condition-holds',
    yaml: guard,
    inputs: { mode: 'abort' },
    state: 'FAILED',
    tr: 2,
    check: (sim) => {
      expect(statesOf(sim, 'guard')).toEqual(['FAILED']);
      expect(sim.logs.some((l) => l.level === 'ERROR' && l.message === 'aborted on request')).toBe(true);
    },
  },
  {
    name: 'fail-passes-when-condition-is-false',
    yaml: guard,
    inputs: { mode: 'go' },
    state: 'SUCCESS',
    tr: 3,
    check: (sim) => expect(statesOf(sim, 'guard')).toEqual(['SUCCESS']),
  },
  {
    name: 'switch-with-no-case-for-the-value',
    yaml: route,
    inputs: { kind: 'json' },
    state: 'FAILED',
    tr: 1,
    check: (sim) => expect(statesOf(sim, 'route')).toEqual(['FAILED']),
  },
  {
    name: 'undefined-variable-fails-the-task',
    yaml: `inputs:
  - id: spelt
    type: STRING
    defaults: right
tasks:
  - id: fine
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.spelt }}"
  - id: typo
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.misspelt }}"
  - id: unreached
    type: io.kestra.plugin.core.log.Log
    message: never
`,
    // Given, because the reducer suite's harness does not apply input defaults.
    inputs: { spelt: 'right' },
    state: 'FAILED',
    tr: 2,
    check: (sim) => {
      expect(statesOf(sim, 'typo')).toEqual(['FAILED']);
      const error = sim.logs.find((l) => l.level === 'ERROR' && l.taskId === 'typo');
      expect(error?.message).toContain(
        'Unable to find `misspelt` used in the expression `{{ inputs.misspelt }}`',
      );
    },
  },
  { name: 'switch-case-that-fails', yaml: route, inputs: { kind: 'xml' }, state: 'FAILED', tr: 2 },
  { name: 'switch-case-that-passes', yaml: route, inputs: { kind: 'csv' }, state: 'SUCCESS', tr: 2 },
];

const tolerant = `inputs:
  - id: crash
    type: STRING
    required: false
tasks:
  - id: stage
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: tolerant
        type: io.kestra.plugin.core.flow.AllowFailure
        tasks:
          - id: steps
            type: io.kestra.plugin.core.flow.Sequential
            tasks:
              - id: warm-up
                type: io.kestra.plugin.core.debug.Return
                format: ok
              - id: broken
                type: io.kestra.plugin.core.execution.Fail
              - id: unreached
                type: io.kestra.plugin.core.debug.Return
                format: never
        errors:
          - id: tolerant-handler
            type: io.kestra.plugin.core.debug.Return
            format: "handled in {{ task.id }}"
      - id: carry-on
        type: io.kestra.plugin.core.debug.Return
        format: carried on
  - id: maybe-crash
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.crash is defined }}"
    cases:
      "true":
        - id: crash
          type: io.kestra.plugin.core.execution.Fail
    defaults:
      - id: wrap-up
        type: io.kestra.plugin.core.debug.Return
        format: done
errors:
  - id: flow-handler
    type: io.kestra.plugin.core.debug.Return
    format: "{{ task.id }}"
`;

/** What the AllowFailure part always does, crash or not. */
const toleratedPart = (sim: Sim): void => {
  expect(statesOf(sim, 'broken')).toEqual(['FAILED']);
  expect(statesOf(sim, 'steps')).toEqual(['FAILED']);
  expect(sim.runsOf('unreached')).toEqual([]);
  expect(statesOf(sim, 'tolerant-handler')).toEqual(['SUCCESS']);
  expect(statesOf(sim, 'tolerant')).toEqual(['WARNING']);
  expect(statesOf(sim, 'stage')).toEqual(['WARNING']);
  expect(statesOf(sim, 'carry-on')).toEqual(['SUCCESS']);
};

export const tolerate: FlowCase[] = [
  {
    name: 'allow-failure-block-warns',
    yaml: tolerant,
    state: 'WARNING',
    tr: 9,
    // The engine gives an optional input that was not set the value null; `is defined` is `!= null` as in
    // Pebble, so the crash branch is not taken.
    check: (sim) => {
      toleratedPart(sim);
      expect(sim.runsOf('flow-handler')).toEqual([]);
    },
  },
  {
    name: 'allow-failure-block-then-real-failure',
    yaml: tolerant,
    inputs: { crash: 'yes' },
    state: 'FAILED',
    tr: 10,
    check: (sim) => {
      toleratedPart(sim);
      expect(statesOf(sim, 'maybe-crash')).toEqual(['FAILED']);
      expect(statesOf(sim, 'flow-handler')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'task-allow-failure-after-retries',
    yaml: `tasks:
  - id: flaky
    type: io.kestra.plugin.core.execution.Fail
    allowFailure: true
    retry:
      type: constant
      interval: PT0.1S
      maxAttempt: 3
  - id: next
    type: io.kestra.plugin.core.log.Log
    message: still runs
`,
    state: 'WARNING',
    tr: 2,
    check: (sim) => {
      expect(attemptStarts(sim, 'flaky')).toEqual([0, 100, 200]);
      expect(statesOf(sim, 'flaky')).toEqual(['WARNING']);
      expect(statesOf(sim, 'next')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'task-allow-failure-on-a-flowable',
    yaml: `tasks:
  - id: block
    type: io.kestra.plugin.core.flow.Sequential
    allowFailure: true
    tasks:
      - id: fails
        type: io.kestra.plugin.core.execution.Fail
      - id: skipped-by-failure
        type: io.kestra.plugin.core.log.Log
        message: never
  - id: next
    type: io.kestra.plugin.core.log.Log
    message: still runs
`,
    state: 'WARNING',
    tr: 3,
    check: (sim) => {
      expect(sim.runsOf('skipped-by-failure')).toEqual([]);
      expect(statesOf(sim, 'block')).toEqual(['WARNING']);
    },
  },
  {
    name: 'task-allow-warning-turns-the-failure-into-success',
    yaml: `tasks:
  - id: flaky
    type: io.kestra.plugin.core.execution.Fail
    allowFailure: true
    allowWarning: true
    retry:
      type: constant
      interval: PT0.1S
      maxAttempt: 2
  - id: next
    type: io.kestra.plugin.core.log.Log
    message: still runs
`,
    state: 'SUCCESS',
    tr: 2,
    check: (sim) => {
      expect(sim.run1('flaky').attempts).toHaveLength(2);
      expect(statesOf(sim, 'flaky')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'run-if-true-false-and-unrenderable',
    yaml: `tasks:
  - id: facts
    type: io.kestra.plugin.core.output.OutputValues
    values:
      size: 3
  - id: when-three
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.facts.values.size == 3 }}"
    message: three
  - id: when-four
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.facts.values.size == 4 }}"
    message: four
  - id: when-unknown
    type: io.kestra.plugin.core.log.Log
    runIf: "{{ outputs.nothing.here == 1 }}"
    message: unknown
  - id: unreached
    type: io.kestra.plugin.core.log.Log
    message: never
`,
    state: 'FAILED',
    tr: 4,
    check: (sim) => {
      expect(statesOf(sim, 'when-three')).toEqual(['SUCCESS']);
      expect(statesOf(sim, 'when-four')).toEqual(['SKIPPED']);
      // A runIf that cannot be rendered fails the task rather than skipping it.
      expect(statesOf(sim, 'when-unknown')).toEqual(['FAILED']);
    },
  },
];
