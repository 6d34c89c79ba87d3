/**
 * What Kestra's own tests assert for its test flows (../shared/conformance/kestra/EXPECTED.md), as data.
 * Each case runs one flow on a real embedded engine and checks state, task-run count and more.
 */
import { expect } from 'vitest';
import type { Execution, TaskRun } from '../../src/execution/types.ts';
import type { TestEngine } from '../helpers/engine.ts';

export interface Case {
  name: string;
  file: string;
  inputs?: Record<string, unknown>;
  labels?: { key: string; value: string }[];
  state?: string;
  tr?: number;
  check?: (e: Execution, engine: TestEngine) => void | Promise<void>;
  /** Drives the case itself instead of one run to a terminal state. */
  drive?: (engine: TestEngine, ns: string, id: string) => Promise<void>;
  /** Why this case cannot pass yet; it is reported as skipped. */
  pending?: string;
}

export const byTask = (e: Execution, taskId: string): TaskRun => {
  const t = e.taskRuns.find((r) => r.taskId === taskId);
  if (!t) throw new Error(`no task run for ${taskId}; have ${e.taskRuns.map((r) => r.taskId).join(', ')}`);
  return t;
};
const out = (e: Execution, taskId: string) => byTask(e, taskId).outputs ?? {};
const states = (e: Execution, taskId: string) =>
  e.taskRuns.filter((t) => t.taskId === taskId).map((t) => t.state.current);

export const cases: Case[] = [
  {
    name: 'return',
    file: 'return.yaml',
    tr: 3,
    check: (e) => {
      expect(String(out(e, 'date').value)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(out(e, 'task-id').value).toBe('task-id');
      expect(out(e, 'flow-id').value).toBe('return');
    },
  },
  {
    name: 'full',
    file: 'full.yaml',
    state: 'SUCCESS',
    tr: 13,
    check: (e) => expect(String(out(e, 't2').value)).toContain('value1'),
  },
  {
    name: 'logs',
    file: 'logs.yaml',
    tr: 5,
    check: async (e, engine) => {
      const logs = await engine.store.queryLogs({ executionId: e.id });
      const of = (id: string) => logs.filter((l) => l.taskId === id);
      expect(of('t1').some((l) => l.level === 'TRACE' && l.message.includes('first t1'))).toBe(true);
      expect(
        of('t2').some(
          (l) => l.level === 'WARN' && l.message.includes('second io.kestra.plugin.core.log.Log'),
        ),
      ).toBe(true);
      expect(of('t3').some((l) => l.level === 'ERROR' && l.message.includes('third logs'))).toBe(true);
      expect(of('t4')).toHaveLength(0);
    },
  },
  { name: 'disable-flowable', file: 'disable-flowable.yaml', tr: 10 },
  {
    name: 'variables-invalid',
    file: 'variables-invalid.yaml',
    state: 'FAILED',
    tr: 2,
    check: async (e, engine) => {
      expect(e.taskRuns[1]?.state.current).toBe('FAILED');
      const logs = await engine.store.queryLogs({ executionId: e.id });
      expect(
        logs.some((l) =>
          l.message.includes('Unable to find `inputs` used in the expression `{{inputs.invalid}}`'),
        ),
      ).toBe(true);
    },
  },
  {
    name: 'empty-variables',
    file: 'empty-variables.yml',
    inputs: { emptyKey: '{"foo":""}', emptySubObject: '{"json":{"someEmptyObject":{}}}' },
    state: 'SUCCESS',
    tr: 3,
  },
  {
    name: 'current-output',
    file: 'current-output.yaml',
    check: (e) => {
      const o = (
        e.taskRuns.filter((t) => t.taskId === '1-1-1_return').map((t) => t.outputs?.value) as string[]
      ).sort();
      expect(o).toEqual(
        [
          'v11-v21-v31',
          'v11-v21-v32',
          'v11-v22-v31',
          'v11-v22-v32',
          'v12-v21-v31',
          'v12-v21-v32',
          'v12-v22-v31',
          'v12-v22-v32',
        ].map((v) => `return-${v}`),
      );
      expect(e.taskRuns.filter((t) => t.taskId === '2-1_return').map((t) => t.outputs?.value)).toContain(
        'return-v41',
      );
    },
  },
  { name: 'sequential', file: 'sequential.yaml', state: 'SUCCESS', tr: 11 },
  {
    name: 'sequential-with-global-errors',
    file: 'sequential-with-global-errors.yaml',
    state: 'FAILED',
    tr: 6,
  },
  { name: 'sequential-with-local-errors', file: 'sequential-with-local-errors.yaml', state: 'FAILED', tr: 6 },
  { name: 'parallel', file: 'parallel.yaml', tr: 8 },
  {
    name: 'errors',
    file: 'errors.yaml',
    tr: 7,
    check: async (e, engine) => {
      const logs = await engine.store.queryLogs({ executionId: e.id });
      expect(logs.some((l) => l.message.includes('- task: failed, message: Task failure'))).toBe(true);
    },
  },
  { name: 'each-sequential', file: 'each-sequential.yaml', state: 'WARNING', tr: 11 },
  {
    name: 'each-object',
    file: 'each-object.yaml',
    state: 'SUCCESS',
    tr: 8,
    check: (e) => expect(String(e.taskRuns[6]?.outputs?.value)).toContain('json > JSON > ["my-complex"]'),
  },
  { name: 'each-empty', file: 'each-empty.yaml', state: 'SUCCESS', tr: 2 },
  {
    name: 'each-null',
    file: 'each-null.yaml',
    state: 'FAILED',
    tr: 1,
    check: async (e, engine) => {
      const logs = await engine.store.queryLogs({ executionId: e.id });
      expect(logs.some((l) => l.message.includes("Found '1' null values on Each"))).toBe(true);
    },
  },
  {
    name: 'each-switch',
    file: 'each-switch.yaml',
    state: 'SUCCESS',
    tr: 12,
    check: (e) => {
      const v = (id: string) => e.taskRuns.filter((t) => t.taskId === id).map((t) => t.outputs?.value);
      expect(v('2-1-1_switch-number-1')).toContain('1');
      expect(v('2-1-1_switch-number-2')).toContain('2 b');
    },
  },
  { name: 'foreach-non-concurrent', file: 'foreach-non-concurrent.yaml', state: 'SUCCESS', tr: 7 },
  { name: 'foreach-concurrent-parallel', file: 'foreach-concurrent-parallel.yaml', state: 'SUCCESS', tr: 10 },
  ...(['FIRST', 'SECOND', 'THIRD', 'DEFAULT'] as const).map(
    (input): Case => ({
      name: `switch ${input}`,
      file: 'switch.yaml',
      inputs: { string: input },
      check: (e) => {
        const second = { FIRST: 't1', SECOND: 't2', THIRD: 't3', DEFAULT: 'default' }[input];
        expect(e.taskRuns[1]?.taskId).toBe(second);
        if (input === 'SECOND') expect(e.taskRuns[2]?.taskId).toBe('t2_sub');
        if (input === 'THIRD')
          expect(e.taskRuns.map((t) => t.taskId)).toEqual(expect.arrayContaining(['failed', 'error-t1']));
        const sw = out(e, 'parent-seq');
        expect(sw.value).toBe(input);
        expect(sw.defaults).toBe(input === 'DEFAULT');
      },
    }),
  ),
  {
    name: 'switch-impossible',
    file: 'switch-impossible.yaml',
    inputs: { string: 'impossible' },
    state: 'FAILED',
  },
  {
    name: 'if',
    file: 'if.yaml',
    inputs: { if1: 'true', if2: 'false', if3: 'true' },
    state: 'SUCCESS',
    tr: 12,
  },
  ...[true, 'true', 1].map(
    (param): Case => ({
      name: `if-condition truthy ${JSON.stringify(param)}`,
      file: 'if-condition.yaml',
      inputs: { param },
      state: 'SUCCESS',
      tr: 2,
      check: (e) => expect(states(e, 'when-true')).toEqual(['SUCCESS']),
    }),
  ),
  ...[false, 'false', 0, -0].map(
    (param): Case => ({
      name: `if-condition falsy ${JSON.stringify(param)}`,
      file: 'if-condition.yaml',
      inputs: { param },
      state: 'SUCCESS',
      tr: 2,
      check: (e) => expect(states(e, 'when-false')).toEqual(['SUCCESS']),
    }),
  ),
  {
    name: 'if-in-flowable',
    file: 'if-in-flowable.yaml',
    inputs: { param: 'true' },
    state: 'SUCCESS',
    tr: 8,
    check: (e) => expect(states(e, 'after_if')).toEqual(['SUCCESS']),
  },
  { name: 'dag', file: 'dag.yaml', state: 'SUCCESS', tr: 7 },
  {
    name: 'fail-on-condition fail',
    file: 'fail-on-condition.yaml',
    inputs: { param: 'fail' },
    state: 'FAILED',
    tr: 2,
    check: (e) => expect(states(e, 'fail')).toEqual(['FAILED']),
  },
  {
    name: 'fail-on-condition success',
    file: 'fail-on-condition.yaml',
    inputs: { param: 'success' },
    state: 'SUCCESS',
    tr: 3,
    check: (e) => expect(states(e, 'fail')).toEqual(['SUCCESS']),
  },
  {
    name: 'fail-on-switch',
    file: 'fail-on-switch.yaml',
    inputs: { param: 'fail' },
    state: 'FAILED',
    tr: 1,
    check: (e) => expect(states(e, 'switch')).toEqual(['FAILED']),
  },
  {
    name: 'allow-failure',
    file: 'allow-failure.yaml',
    pending:
      "Kestra's test starts it with no input map at all, which skips required-input checks; Baton always checks, and `crash` is required",
    state: 'WARNING',
    tr: 9,
    check: (e) => {
      expect(states(e, 'global-error')).toEqual([]);
      expect(states(e, 'first')).toEqual(['WARNING']);
      expect(states(e, '1-1-allow-failure')).toEqual(['WARNING']);
      expect(states(e, '1-1-1_seq')).toEqual(['FAILED']);
      expect(states(e, 'ko')).toEqual(['FAILED']);
      expect(states(e, 'local-error')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'allow-failure crash',
    file: 'allow-failure.yaml',
    inputs: { crash: '1' },
    state: 'FAILED',
    tr: 10,
    check: (e) => {
      expect(states(e, 'switch')).toEqual(['FAILED']);
      expect(states(e, 'crash')).toEqual(['FAILED']);
      expect(states(e, 'global-error')).toEqual(['SUCCESS']);
      expect(states(e, 'first')).toEqual(['WARNING']);
      expect(states(e, 'local-error')).toEqual(['SUCCESS']);
    },
  },
  {
    name: 'task-allow-failure-runnable',
    file: 'task-allow-failure-runnable.yml',
    state: 'WARNING',
    tr: 2,
    check: (e) => expect(byTask(e, 'fail').attempts).toHaveLength(3),
  },
  { name: 'task-allow-failure-flowable', file: 'task-allow-failure-flowable.yml', state: 'WARNING', tr: 3 },
  {
    name: 'task-allow-warning-runnable',
    file: 'task-allow-warning-runnable.yml',
    state: 'SUCCESS',
    tr: 2,
    check: (e) => expect(byTask(e, 'fail').attempts).toHaveLength(3),
  },
  {
    name: 'task-runif',
    file: 'task-runif.yml',
    state: 'FAILED',
    tr: 4,
    check: (e) => {
      expect(states(e, 'executed')).toEqual(['SUCCESS']);
      expect(states(e, 'notexecuted')).toEqual(['SKIPPED']);
      expect(states(e, 'willfailedtheflow')).toEqual(['FAILED']);
    },
  },
  {
    name: 'retry-success',
    file: 'retry-success.yaml',
    state: 'WARNING',
    tr: 1,
    check: (e) => expect(e.taskRuns[0]?.attempts).toHaveLength(4),
  },
  {
    name: 'retry-failed',
    file: 'retry-failed.yaml',
    state: 'FAILED',
    tr: 2,
    check: (e) => expect(e.taskRuns[0]?.attempts).toHaveLength(5),
  },
  {
    name: 'retry-fail',
    file: 'retry-fail.yaml',
    state: 'FAILED',
    tr: 2,
    check: (e) => expect(e.taskRuns[0]?.attempts).toHaveLength(3),
  },
  {
    name: 'retry-expo',
    file: 'retry-expo.yaml',
    state: 'FAILED',
    tr: 1,
    check: (e) => expect(e.taskRuns[0]?.attempts).toHaveLength(3),
  },
  {
    name: 'retry-flowable',
    file: 'retry-flowable.yaml',
    state: 'FAILED',
    check: (e) => expect(e.taskRuns[1]?.attempts).toHaveLength(3),
  },
  {
    name: 'retry-failed-flow-attempts',
    file: 'retry-failed-flow-attempts.yml',
    state: 'FAILED',
    check: (e) => expect(e.taskRuns[0]?.attempts).toHaveLength(4),
  },
  {
    name: 'flow-with-outputs',
    file: 'flow-with-outputs.yml',
    state: 'SUCCESS',
    check: (e) => {
      expect(Object.keys(e.outputs ?? {})).toHaveLength(1);
      expect(e.outputs?.key).toBe('{"value":"flow-with-outputs"}');
    },
  },
  {
    name: 'flow-with-outputs-failed',
    file: 'flow-with-outputs-failed.yml',
    state: 'FAILED',
    check: (e) => expect(e.outputs).toBeUndefined(),
  },
  {
    name: 'flow-with-array-outputs',
    file: 'flow-with-array-outputs.yml',
    state: 'SUCCESS',
    check: (e) => expect(e.outputs?.myout).toEqual(expect.arrayContaining(['1rstValue', '2ndValue'])),
  },
  { name: 'sla-max-duration-fail', file: 'sla-max-duration-fail.yaml', state: 'FAILED' },
  { name: 'sla-execution-condition PASS', file: 'sla-execution-condition.yaml', state: 'SUCCESS' },
  {
    name: 'sla-execution-condition CANCEL',
    file: 'sla-execution-condition.yaml',
    inputs: { string: 'CANCEL' },
    state: 'CANCELLED',
  },
  {
    name: 'sla-execution-condition LABEL',
    file: 'sla-execution-condition.yaml',
    inputs: { string: 'LABEL' },
    state: 'SUCCESS',
    check: (e) => expect(e.labels).toContainEqual({ key: 'sla', value: 'violated' }),
  },
  {
    name: 'waitfor',
    file: 'waitfor.yaml',
    state: 'SUCCESS',
    check: (e) => expect(e.taskRuns[0]?.outputs).toBeTruthy(),
  },
];
