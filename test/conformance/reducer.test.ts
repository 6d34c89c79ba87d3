/**
 * Kestra's own test flows (../shared/conformance/kestra/valid) driven through the pure reducer with the
 * simulated worker of test/executor/harness.ts: the same flows run on the real engine in run.test.ts; this
 * run tells a reducer mistake from one elsewhere. The project's own flows for these behaviours are in
 * test/executor/{flowables,parallel,for-each,branches,failures,retry-flows,outputs}.test.ts.
 * Skips when this clone has no shared folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowFromYaml, runFlow } from '../executor/harness.ts';
import { conformanceDir } from '../helpers/engine.ts';

const dir = conformanceDir();

const cases: [
  file: string,
  inputs: Record<string, unknown>,
  state: string | undefined,
  tr: number | undefined,
][] = [
  ['sequential.yaml', {}, 'SUCCESS', 11],
  ['sequential-with-global-errors.yaml', {}, 'FAILED', 6],
  ['sequential-with-local-errors.yaml', {}, 'FAILED', 6],
  ['parallel.yaml', {}, 'SUCCESS', 8],
  ['errors.yaml', {}, 'FAILED', 7],
  ['full.yaml', {}, 'SUCCESS', 13],
  // Only the count is asserted by Kestra (`{{taskrun.value}}` outside a loop fails in strict mode).
  ['disable-flowable.yaml', {}, undefined, 10],
  ['each-sequential.yaml', {}, 'WARNING', 11],
  ['each-empty.yaml', {}, 'SUCCESS', 2],
  ['each-null.yaml', {}, 'FAILED', 1],
  ['each-switch.yaml', {}, 'SUCCESS', 12],
  ['foreach-non-concurrent.yaml', {}, 'SUCCESS', 7],
  ['foreach-concurrent-parallel.yaml', {}, 'SUCCESS', 10],
  ['switch-impossible.yaml', { string: 'impossible' }, 'FAILED', undefined],
  ['if.yaml', { if1: true, if2: false, if3: true }, 'SUCCESS', 12],
  ['if-in-flowable.yaml', { param: true }, 'SUCCESS', 8],
  ['dag.yaml', {}, 'SUCCESS', 7],
  ['fail-on-condition.yaml', { param: 'fail' }, 'FAILED', 2],
  ['fail-on-condition.yaml', { param: 'success' }, 'SUCCESS', 3],
  ['fail-on-switch.yaml', { param: 'fail' }, 'FAILED', 1],
  ['allow-failure.yaml', {}, 'WARNING', 9],
  ['allow-failure.yaml', { crash: '1' }, 'FAILED', 10],
  ['task-allow-failure-runnable.yml', {}, 'WARNING', 2],
  ['task-allow-failure-flowable.yml', {}, 'WARNING', 3],
  ['task-allow-warning-runnable.yml', {}, 'SUCCESS', 2],
  ['task-runif.yml', {}, 'FAILED', 4],
  ['retry-success.yaml', {}, 'WARNING', 1],
  ['retry-failed.yaml', {}, 'FAILED', 2],
  ['retry-fail.yaml', {}, 'FAILED', 2],
  ['retry-expo.yaml', {}, 'FAILED', 1],
  ['retry-flowable.yaml', {}, 'FAILED', undefined],
  ['retry-failed-flow-attempts.yml', {}, 'FAILED', 1],
  ['current-output.yaml', {}, 'SUCCESS', undefined],
  ['flow-with-outputs.yml', {}, 'SUCCESS', 1],
  ['flow-with-outputs-failed.yml', {}, 'FAILED', 1],
  ['flow-with-array-outputs.yml', {}, 'SUCCESS', 1],
  [
    'empty-variables.yml',
    { emptyKey: { foo: '' }, emptySubObject: { json: { someEmptyObject: {} } } },
    'SUCCESS',
    3,
  ],
];

describe.skipIf(!dir)('Kestra conformance: the valid flows through the reducer', () => {
  // One test over the whole table: a mismatch names its file, and every mismatch is listed at once.
  it(`${cases.length} runs reach the state and task-run count Kestra's tests assert`, () => {
    const mismatches: string[] = [];
    for (const [file, inputs, state, tr] of cases) {
      const sim = runFlow(flowFromYaml(readFileSync(join(dir!, 'valid', file), 'utf8')), { inputs });
      const got = { state: sim.state, tr: sim.execution.taskRuns.length };
      if ((state && got.state !== state) || (tr !== undefined && got.tr !== tr))
        mismatches.push(
          `${file} ${JSON.stringify(inputs)}: expected ${state} TR ${tr}, got ${got.state} TR ${got.tr}`,
        );
    }
    expect(mismatches).toEqual([]);
  });
});
