/** Sequential: nesting, flow-level and local `errors`, error handlers reading `errorLogs()`. */
import { expect } from 'vitest';
import { type FlowCase, startsOf, statesOf, valuesOf } from '../flow-cases.ts';

export const sequential: FlowCase[] = [
  {
    name: 'nested-sequentials',
    yaml: `tasks:
  - id: build
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: checkout
        type: io.kestra.plugin.core.debug.Return
        format: "{{ task.id }} at {{ taskrun.startDate }}"
      - id: compile
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: lint
            type: io.kestra.plugin.core.debug.Return
            format: "{{ taskrun.id }}"
          - id: bundle
            type: io.kestra.plugin.core.flow.Sequential
            tasks:
              - id: minify
                type: io.kestra.plugin.core.debug.Return
                format: "{{ task.id }}"
              - id: hash
                type: io.kestra.plugin.core.debug.Return
                format: "{{ task.id }}"
          - id: typecheck
            type: io.kestra.plugin.core.debug.Return
            format: "{{ task.id }}"
      - id: package
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.2S
  - id: publish
    type: io.kestra.plugin.core.debug.Return
    format: "{{ task.id }} after {{ outputs.hash.value }}"
`,
    state: 'SUCCESS',
    tr: 10,
    check: (sim) => {
      // Document order, one task at a time: each task run is created once the previous one has ended.
      expect(sim.execution.taskRuns.map((t) => t.taskId)).toEqual([
        'build',
        'checkout',
        'compile',
        'lint',
        'bundle',
        'minify',
        'hash',
        'typecheck',
        'package',
        'publish',
      ]);
      expect(startsOf(sim, 'publish')).toEqual([200]);
      expect(valuesOf(sim, 'publish')).toEqual(['publish after hash']);
      const byId = new Map(sim.execution.taskRuns.map((t) => [t.id, t.taskId]));
      expect(byId.get(sim.run1('minify').parentTaskRunId!)).toBe('bundle');
      expect(byId.get(sim.run1('bundle').parentTaskRunId!)).toBe('compile');
    },
  },
  {
    name: 'flow-errors-after-nested-failure',
    yaml: `tasks:
  - id: etl
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: extract
        type: io.kestra.plugin.core.debug.Return
        format: rows
      - id: transform
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: reject
            type: io.kestra.plugin.core.execution.Fail
            errorMessage: bad row
          - id: clean
            type: io.kestra.plugin.core.debug.Return
            format: never
      - id: load
        type: io.kestra.plugin.core.debug.Return
        format: never
errors:
  - id: alert
    type: io.kestra.plugin.core.debug.Return
    format: "{{ task.id }}"
  - id: rollback
    type: io.kestra.plugin.core.log.Log
    message: rolling back
`,
    state: 'FAILED',
    tr: 6,
    check: (sim) => {
      expect(statesOf(sim, 'etl')).toEqual(['FAILED']);
      expect(statesOf(sim, 'transform')).toEqual(['FAILED']);
      expect(sim.runsOf('clean')).toEqual([]);
      expect(sim.runsOf('load')).toEqual([]);
      // Both flow-level error tasks run, one after the other.
      expect(statesOf(sim, 'alert')).toEqual(['SUCCESS']);
      expect(statesOf(sim, 'rollback')).toEqual(['SUCCESS']);
      expect(sim.run1('alert').branch).toBe('errors');
    },
  },
  {
    name: 'local-errors-still-fail',
    yaml: `tasks:
  - id: etl
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: extract
        type: io.kestra.plugin.core.debug.Return
        format: rows
      - id: transform
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: reject
            type: io.kestra.plugin.core.execution.Fail
          - id: clean
            type: io.kestra.plugin.core.debug.Return
            format: never
        errors:
          - id: quarantine
            type: io.kestra.plugin.core.debug.Return
            format: "{{ task.id }}"
          - id: notify
            type: io.kestra.plugin.core.log.Log
            message: quarantined
      - id: load
        type: io.kestra.plugin.core.debug.Return
        format: never
`,
    state: 'FAILED',
    tr: 6,
    check: (sim) => {
      expect(statesOf(sim, 'quarantine')).toEqual(['SUCCESS']);
      expect(statesOf(sim, 'notify')).toEqual(['SUCCESS']);
      // Handled locally, the failure still fails the flowable, and what follows it does not run.
      expect(statesOf(sim, 'transform')).toEqual(['FAILED']);
      expect(sim.runsOf('load')).toEqual([]);
      expect(sim.run1('quarantine').parentTaskRunId).toBe(sim.run1('transform').id);
    },
  },
  {
    name: 'error-handler-reads-error-logs',
    yaml: `tasks:
  - id: deploy
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: disk full
errors:
  - id: report
    type: io.kestra.plugin.core.debug.Return
    format: "{% for l in errorLogs() %}[{{ l.taskId }}: {{ l.message }}]{% endfor %}"
  - id: fan-out
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: fan-out-2
        type: io.kestra.plugin.core.flow.Parallel
        tasks:
          - id: page
            type: io.kestra.plugin.core.log.Log
            message: "{{ task.id }}"
`,
    state: 'FAILED',
    tr: 5,
    check: (sim) => {
      expect(String(sim.run1('report').outputs?.value)).toContain('[deploy: disk full]');
      expect(statesOf(sim, 'page')).toEqual(['SUCCESS']);
    },
  },
];
