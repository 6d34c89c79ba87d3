/**
 * ForEach / EachSequential: values as a JSON string or a list, empty, with nulls, nested with Switch
 * (`parents`), and `concurrencyLimit`.
 */
import { expect } from 'vitest';
import { type FlowCase, startsOf, statesOf, valuesOf } from '../flow-cases.ts';

export const loops: FlowCase[] = [
  {
    name: 'each-sequential-allow-failure',
    yaml: `tasks:
  - id: regions
    type: io.kestra.plugin.core.flow.EachSequential
    value: '["north", "south", "east"]'
    tasks:
      - id: greet
        type: io.kestra.plugin.core.debug.Return
        format: "{{ task.id }} {{ taskrun.value }}"
      - id: tolerate
        type: io.kestra.plugin.core.flow.AllowFailure
        tasks:
          - id: probe
            type: io.kestra.plugin.core.log.Log
            # Only 'north' renders; the others use an undefined variable, which fails the task.
            message: "{{ parent.taskrun.value == 'north' ? 'up' : undefinedProbe }}"
  - id: tally
    type: io.kestra.plugin.core.debug.Return
    format: done
`,
    state: 'WARNING',
    tr: 11,
    check: (sim) => {
      expect(valuesOf(sim, 'greet')).toEqual(['greet north', 'greet south', 'greet east']);
      expect(statesOf(sim, 'probe')).toEqual(['SUCCESS', 'FAILED', 'FAILED']);
      expect(statesOf(sim, 'tolerate')).toEqual(['SUCCESS', 'WARNING', 'WARNING']);
      expect(statesOf(sim, 'regions')).toEqual(['WARNING']);
      expect(statesOf(sim, 'tally')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'each-over-nothing',
    yaml: `tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: '[]'
    tasks:
      - id: body
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: reached
`,
    state: 'SUCCESS',
    tr: 2,
    check: (sim) => {
      expect(sim.runsOf('body')).toEqual([]);
      expect(statesOf(sim, 'each')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'each-over-objects',
    yaml: `tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: '[{"sku": "a-1", "qty": 2}, {"sku": "b-7", "qty": 5}]'
    tasks:
      - id: line
        type: io.kestra.plugin.core.debug.Return
        format: "{{ fromJson(taskrun.value).sku }} x{{ fromJson(taskrun.value).qty }}"
`,
    state: 'SUCCESS',
    tr: 3,
    check: (sim) => {
      // An object value reaches the children as its JSON text, as in Kestra.
      expect(sim.runsOf('line').map((t) => JSON.parse(String(t.value)))).toEqual([
        { sku: 'a-1', qty: 2 },
        { sku: 'b-7', qty: 5 },
      ]);
      expect(valuesOf(sim, 'line')).toEqual(['a-1 x2', 'b-7 x5']);
    },
  },
  {
    name: 'each-with-null-values',
    yaml: `tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: '["a", null, {"k": 1}, null]'
    tasks:
      - id: body
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: never
`,
    state: 'FAILED',
    tr: 1,
    check: (sim) => {
      expect(sim.runsOf('body')).toEqual([]);
      const error = sim.logs.find((l) => l.level === 'ERROR' && l.taskId === 'each');
      expect(error?.message).toContain("Found '2' null values on Each");
    },
  },
  {
    name: 'each-switch-parents',
    yaml: `tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.ForEach
    values: '["cat", "dog"]'
    tasks:
      - id: by-animal
        type: io.kestra.plugin.core.flow.Switch
        value: "{{ taskrun.value }}"
        cases:
          cat:
            - id: meow
              type: io.kestra.plugin.core.debug.Return
              format: "{{ parent.taskrun.value }}"
          dog:
            - id: woof
              type: io.kestra.plugin.core.debug.Return
              format: "{{ task.id }}"
            - id: inner
              type: io.kestra.plugin.core.flow.ForEach
              values: '["x", "y"]'
              tasks:
                - id: by-letter
                  type: io.kestra.plugin.core.flow.Switch
                  value: "{{ taskrun.value }}"
                  cases:
                    x:
                      - id: letter-x
                        type: io.kestra.plugin.core.debug.Return
                        format: "{{ parents[0].taskrun.value }}"
                    y:
                      - id: letter-y
                        type: io.kestra.plugin.core.debug.Return
                        format: "{{ parents[0].taskrun.value }}/{{ parents[1].taskrun.value }}"
  - id: end
    type: io.kestra.plugin.core.debug.Return
    format: end
`,
    state: 'SUCCESS',
    tr: 11,
    check: (sim) => {
      // parents[0] is the nearest loop (inner: x / y), parents[1] the next one out (outer: dog).
      expect(valuesOf(sim, 'letter-x')).toEqual(['x']);
      expect(valuesOf(sim, 'letter-y')).toEqual(['y/dog']);
      // Only the loop's direct children carry its value: a task in a Switch case reads it from its parent.
      expect(valuesOf(sim, 'meow')).toEqual(['cat']);
      expect(sim.runsOf('by-animal').map((t) => t.value)).toEqual(['cat', 'dog']);
    },
  },
  {
    name: 'foreach-one-iteration-at-a-time',
    yaml: `tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    tasks:
      - id: work
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.1S
      - id: note
        type: io.kestra.plugin.core.log.Log
        message: "{{ taskrun.value }}"
`,
    state: 'SUCCESS',
    tr: 7,
    // Without concurrencyLimit an iteration starts once the previous one has ended.
    check: (sim) => expect(startsOf(sim, 'work')).toEqual([0, 100, 200]),
  },
  {
    name: 'foreach-concurrency-limit-with-parallel',
    yaml: `tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c", "d", "e"]
    concurrencyLimit: 2
    tasks:
      - id: both
        type: io.kestra.plugin.core.flow.Parallel
        tasks:
          - id: fast
            type: io.kestra.plugin.core.log.Log
            message: "{{ parent.taskrun.value }}"
          - id: slow
            type: io.kestra.plugin.core.flow.Sleep
            duration: PT0.1S
`,
    state: 'SUCCESS',
    tr: 16,
    check: (sim) => {
      expect(startsOf(sim, 'slow')).toEqual([0, 0, 100, 100, 200]);
      expect(sim.runsOf('both').map((t) => t.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
    },
  },
  {
    name: 'foreach-unlimited-concurrency',
    yaml: `tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2, 3]
    concurrencyLimit: 0
    tasks:
      - id: slow
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.1S
`,
    state: 'SUCCESS',
    tr: 4,
    check: (sim) => expect(startsOf(sim, 'slow')).toEqual([0, 0, 0]),
  },
];
