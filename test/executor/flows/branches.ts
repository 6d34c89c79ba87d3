/** Switch (no matching case, defaults) and If (in a Parallel, with else, in a loop). */
import { expect } from 'vitest';
import { type FlowCase, statesOf, valuesOf } from '../flow-cases.ts';

export const branches: FlowCase[] = [
  {
    name: 'switch-without-matching-case',
    yaml: `inputs:
  - id: colour
    type: STRING
tasks:
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.colour }}"
    cases:
      red:
        - id: stop
          type: io.kestra.plugin.core.debug.Return
          format: stop
    defaults: null
`,
    inputs: { colour: 'purple' },
    state: 'FAILED',
    tr: 1,
    check: (sim) => expect(statesOf(sim, 'route')).toEqual(['FAILED']),
  },
  {
    name: 'switch-default-branch',
    yaml: `tasks:
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ 'amber' }}"
    cases:
      red:
        - id: stop
          type: io.kestra.plugin.core.debug.Return
          format: stop
    defaults:
      - id: slow-down
        type: io.kestra.plugin.core.debug.Return
        format: careful
`,
    state: 'SUCCESS',
    tr: 2,
    check: (sim) => {
      expect(sim.run1('route').outputs).toMatchObject({ value: 'amber', defaults: true });
      expect(sim.runsOf('stop')).toEqual([]);
    },
  },
  {
    name: 'ifs-in-a-parallel',
    yaml: `inputs:
  - id: a
    type: BOOLEAN
  - id: b
    type: BOOLEAN
  - id: c
    type: BOOLEAN
tasks:
  - id: fan
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 3
    tasks:
      - id: when-a
        type: io.kestra.plugin.core.flow.If
        condition: "{{ inputs.a }}"
        then:
          - id: a-yes
            type: io.kestra.plugin.core.log.Log
            message: a
      - id: when-b
        type: io.kestra.plugin.core.flow.If
        condition: "{{ inputs.b }}"
        then:
          - id: b-yes
            type: io.kestra.plugin.core.log.Log
            message: b
        else:
          - id: b-no
            type: io.kestra.plugin.core.log.Log
            message: not b
      - id: when-c
        type: io.kestra.plugin.core.flow.If
        condition: "{{ inputs.c }}"
        then:
          - id: c-yes
            type: io.kestra.plugin.core.log.Log
            message: c
      - id: plain-1
        type: io.kestra.plugin.core.log.Log
        message: plain
      - id: plain-2
        type: io.kestra.plugin.core.log.Log
        message: plain
`,
    inputs: { a: true, b: false, c: false },
    state: 'SUCCESS',
    tr: 8,
    check: (sim) => {
      expect(statesOf(sim, 'a-yes')).toEqual(['SUCCESS']);
      expect(sim.runsOf('b-yes')).toEqual([]);
      expect(statesOf(sim, 'b-no')).toEqual(['SUCCESS']);
      expect(sim.runsOf('c-yes')).toEqual([]);
      expect(statesOf(sim, 'when-c')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'if-inside-a-loop',
    yaml: `tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["v1", "v2", "v3"]
    tasks:
      - id: before
        type: io.kestra.plugin.core.debug.Return
        format: "before {{ taskrun.value }}"
      - id: only-v2
        type: io.kestra.plugin.core.flow.If
        condition: "{{ taskrun.value == 'v2' }}"
        then:
          - id: inside
            type: io.kestra.plugin.core.debug.Return
            format: "inside {{ parent.taskrun.value }}"
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: after
`,
    state: 'SUCCESS',
    tr: 9,
    check: (sim) => {
      expect(valuesOf(sim, 'inside')).toEqual(['inside v2']);
      expect(sim.runsOf('only-v2').map((t) => t.value)).toEqual(['v1', 'v2', 'v3']);
    },
  },
];

/**
 * If renders its condition to a string and takes `then` unless it is falsy as in Kestra: "false", "0",
 * "-0", "" (and null). One case per condition, so that each reads in the test name.
 */
const ifWith = (condition: string, branch: 'then' | 'else'): FlowCase => ({
  name: `if-${branch}-for-${condition.replace(/[^a-z0-9-]+/gi, '_')}`,
  yaml: `variables:
  zero: 0
tasks:
  - id: decide
    type: io.kestra.plugin.core.flow.If
    condition: "${condition}"
    then:
      - id: took-then
        type: io.kestra.plugin.core.log.Log
        message: then
    else:
      - id: took-else
        type: io.kestra.plugin.core.log.Log
        message: else
`,
  state: 'SUCCESS',
  tr: 2,
  check: (sim) => expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual(['decide', `took-${branch}`]),
});

export const truthiness: FlowCase[] = [
  ...['{{ 1 == 1 }}', "{{ 'true' }}", '{{ 1 }}', "{{ 'no' }}", '{{ [0] }}'].map((c) => ifWith(c, 'then')),
  ...['{{ 1 == 2 }}', "{{ 'false' }}", '{{ vars.zero }}', "{{ '-0' }}", "{{ '' }}", '{{ null }}'].map((c) =>
    ifWith(c, 'else'),
  ),
];
