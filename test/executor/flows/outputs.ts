/**
 * Outputs: `currentEachOutput` in nested loops, outputs of looped tasks keyed by value, flow `outputs`
 * (typed, failing to render, arrays) and expressions over missing or empty values.
 */
import { expect } from 'vitest';
import { type FlowCase, statesOf, valuesOf } from '../flow-cases.ts';

export const loopOutputs: FlowCase[] = [
  {
    name: 'current-each-output-in-nested-loops',
    yaml: `tasks:
  - id: years
    type: io.kestra.plugin.core.flow.ForEach
    values: '["2024", "2025"]'
    tasks:
      - id: quarters
        type: io.kestra.plugin.core.flow.ForEach
        values: '["q1", "q2"]'
        tasks:
          - id: label
            type: io.kestra.plugin.core.debug.Return
            format: "{{ parents[0].taskrun.value }}-{{ taskrun.value }}"
          - id: echo-label
            type: io.kestra.plugin.core.debug.Return
            format: "seen {{ currentEachOutput(outputs.label).value }}"
  - id: flat
    type: io.kestra.plugin.core.flow.ForEach
    values: '["m1", "m2", "m3"]'
    tasks:
      - id: month
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
      - id: echo-month
        type: io.kestra.plugin.core.debug.Return
        format: "seen {{ currentEachOutput(outputs.month).value }}"
  - id: by-key
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.label['2025']['q1'].value }} {{ outputs.month['m3'].value }}"
  - id: plain
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: make
            type: io.kestra.plugin.core.debug.Return
            format: "made {{ taskrun.id }}"
          - id: use
            type: io.kestra.plugin.core.debug.Return
            format: "used {{ outputs.make.value }}"
`,
    state: 'SUCCESS',
    tr: 23,
    check: (sim) => {
      expect(valuesOf(sim, 'echo-label')).toEqual([
        'seen 2024-q1',
        'seen 2024-q2',
        'seen 2025-q1',
        'seen 2025-q2',
      ]);
      expect(valuesOf(sim, 'echo-month')).toEqual(['seen m1', 'seen m2', 'seen m3']);
      expect(valuesOf(sim, 'by-key')).toEqual(['2025-q1 m3']);
      expect(valuesOf(sim, 'use')).toEqual([`used made ${sim.run1('make').id}`]);
    },
  },
];

export const flowOutputs: FlowCase[] = [
  {
    name: 'string-output-of-a-map-is-json',
    yaml: `tasks:
  - id: greet
    type: io.kestra.plugin.core.debug.Return
    format: "hello {{ flow.id }}"
outputs:
  - id: whole
    type: STRING
    value: "{{ outputs.greet }}"
  - id: text
    type: STRING
    value: "{{ outputs.greet.value }}"
`,
    state: 'SUCCESS',
    tr: 1,
    check: (sim) =>
      expect(sim.execution.outputs).toEqual({
        whole: '{"value":"hello string-output-of-a-map-is-json"}',
        text: 'hello string-output-of-a-map-is-json',
      }),
  },
  {
    name: 'unrenderable-output-fails-the-execution',
    yaml: `tasks:
  - id: greet
    type: io.kestra.plugin.core.debug.Return
    format: hello
outputs:
  - id: broken
    type: STRING
    value: "{{ noSuchVariable }}"
`,
    state: 'FAILED',
    tr: 1,
    check: (sim) => {
      // The tasks succeeded; the execution fails with no outputs at all.
      expect(statesOf(sim, 'greet')).toEqual(['SUCCESS']);
      expect(sim.execution.outputs).toBeUndefined();
    },
  },
  {
    name: 'array-output-of-rendered-items',
    yaml: `tasks:
  - id: pair
    type: io.kestra.plugin.core.output.OutputValues
    values:
      left: first
      right: second
outputs:
  - id: both
    type: ARRAY
    value:
      - "{{ outputs.pair.values.left }}"
      - "{{ outputs.pair.values.right }}"
`,
    state: 'SUCCESS',
    tr: 1,
    check: (sim) => expect(sim.execution.outputs?.both).toEqual(['first', 'second']),
  },
];

export const emptyValues: FlowCase[] = [
  {
    name: 'missing-and-empty-values-render',
    yaml: `inputs:
  - id: blank
    type: JSON
  - id: nested
    type: JSON
tasks:
  - id: coalesce-missing-output
    type: io.kestra.plugin.core.debug.Return
    format: "[{{ outputs.never_ran ?? '' }}]"
  - id: empty-string
    type: io.kestra.plugin.core.debug.Return
    format: "[{{ inputs.blank.text }}]"
  - id: empty-object
    type: io.kestra.plugin.core.debug.Return
    format: "[{{ inputs.nested.inner.empty }}]"
`,
    inputs: { blank: { text: '' }, nested: { inner: { empty: {} } } },
    state: 'SUCCESS',
    tr: 3,
    check: (sim) => {
      expect(valuesOf(sim, 'coalesce-missing-output')).toEqual(['[]']);
      expect(valuesOf(sim, 'empty-string')).toEqual(['[]']);
      expect(valuesOf(sim, 'empty-object')).toEqual(['[{}]']);
    },
  },
];
