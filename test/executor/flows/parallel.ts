/** Parallel (nested, `concurrent`), disabled tasks in every kind of flowable, and Dag. */
import { expect } from 'vitest';
import { type FlowCase, startsOf, statesOf, valuesOf } from '../flow-cases.ts';

export const parallel: FlowCase[] = [
  {
    name: 'parallel-then-next',
    yaml: `tasks:
  - id: checks
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: unit
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.3S
      - id: e2e
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.1S
      - id: audit
        type: io.kestra.plugin.core.log.Log
        message: "{{ task.id }}"
      - id: licences
        type: io.kestra.plugin.core.log.Log
        message: "{{ task.id }}"
  - id: merge
    type: io.kestra.plugin.core.debug.Return
    format: "{{ taskrun.startDate }}"
`,
    state: 'SUCCESS',
    tr: 6,
    check: (sim) => {
      // All children start together; the next task waits for the slowest.
      for (const id of ['unit', 'e2e', 'audit', 'licences']) expect(startsOf(sim, id)).toEqual([0]);
      expect(startsOf(sim, 'merge')).toEqual([300]);
    },
  },
  {
    name: 'parallel-concurrent-limit',
    yaml: `tasks:
  - id: shards
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 2
    tasks:
      - id: s1
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.1S
      - id: s2
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.1S
      - id: s3
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.1S
      - id: s4
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.1S
      - id: s5
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.1S
`,
    state: 'SUCCESS',
    tr: 6,
    check: (sim) =>
      expect(['s1', 's2', 's3', 's4', 's5'].map((id) => startsOf(sim, id)[0])).toEqual([0, 0, 100, 100, 200]),
  },
  {
    name: 'deep-parallels-flow-labels-retry-timeout',
    yaml: `labels:
  team: platform
tasks:
  - id: intro
    type: io.kestra.plugin.core.debug.Return
    format: "owned by {{ labels.team }}"
  - id: guarded
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.intro.value }}"
    timeout: PT30M
    retry:
      type: constant
      interval: PT10M
      maxAttempt: 3
  - id: level1
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 2
    tasks:
      - id: leaf-a
        type: io.kestra.plugin.core.log.Log
        message: "{{ execution.id }}"
      - id: level2
        type: io.kestra.plugin.core.flow.Parallel
        tasks:
          - id: level3
            type: io.kestra.plugin.core.flow.Parallel
            tasks:
              - id: level4
                type: io.kestra.plugin.core.flow.Parallel
                tasks:
                  - id: leaf-deep
                    type: io.kestra.plugin.core.log.Log
                    message: "{{ execution.id }}"
      - id: leaf-b
        type: io.kestra.plugin.core.log.Log
        message: "{{ execution.id }}"
  - id: outro
    type: io.kestra.plugin.core.log.Log
    message: done
`,
    state: 'SUCCESS',
    tr: 10,
    check: (sim) => {
      expect(valuesOf(sim, 'intro')).toEqual(['owned by platform']);
      expect(sim.run1('guarded').attempts).toHaveLength(1);
      expect(statesOf(sim, 'leaf-deep')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'disabled-children-leave-no-trace',
    yaml: `tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["x", "y"]
    tasks:
      - id: kept
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
      - id: off-in-each
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
        disabled: true
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: off-in-parallel
        type: io.kestra.plugin.core.log.Log
        message: never
        disabled: true
      - id: on-in-parallel
        type: io.kestra.plugin.core.log.Log
        message: once
  - id: pick
    type: io.kestra.plugin.core.flow.Switch
    value: "B"
    cases:
      B:
        - id: off-in-case
          type: io.kestra.plugin.core.log.Log
          message: never
          disabled: true
        - id: on-in-case
          type: io.kestra.plugin.core.log.Log
          message: once
  - id: off-at-top
    type: io.kestra.plugin.core.log.Log
    message: never
    disabled: true
`,
    state: 'SUCCESS',
    tr: 7,
    check: (sim) => {
      for (const id of ['off-in-each', 'off-in-parallel', 'off-in-case', 'off-at-top'])
        expect(sim.runsOf(id)).toEqual([]);
      expect(valuesOf(sim, 'kept')).toEqual(['x', 'y']);
    },
  },
];

export const dag: FlowCase[] = [
  {
    name: 'dag-respects-dependencies',
    yaml: `tasks:
  - id: graph
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: fetch
          type: io.kestra.plugin.core.flow.Sleep
          duration: PT0.1S
      - task:
          id: slow-parse
          type: io.kestra.plugin.core.flow.Sleep
          duration: PT0.3S
        dependsOn: [fetch]
      - task:
          id: quick-scan
          type: io.kestra.plugin.core.flow.Sleep
          duration: PT0.1S
        dependsOn: [fetch]
      - task:
          id: enrich
          type: io.kestra.plugin.core.flow.Sleep
          duration: PT0.1S
        dependsOn: [slow-parse]
      - task:
          id: report
          type: io.kestra.plugin.core.log.Log
          message: "{{ task.id }}"
        dependsOn: [enrich, quick-scan]
      - task:
          id: summary
          type: io.kestra.plugin.core.log.Log
          message: "{{ task.id }}"
        dependsOn: [quick-scan]
`,
    state: 'SUCCESS',
    tr: 7,
    check: (sim) => {
      const start = (id: string) => startsOf(sim, id)[0];
      // Each task starts as soon as its last dependency ends, not when unrelated tasks do.
      expect(start('fetch')).toBe(0);
      expect([start('slow-parse'), start('quick-scan')]).toEqual([100, 100]);
      expect(start('summary')).toBe(200);
      expect(start('enrich')).toBe(400);
      expect(start('report')).toBe(500);
    },
  },
];
