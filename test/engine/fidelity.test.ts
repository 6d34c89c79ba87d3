/**
 * Kestra fidelity end to end (issue #6), on a real embedded engine: Loop, SetVariables / UnsetVariables
 * (kept across a restart of the process), tasksWithState(), expression input defaults, and
 * `taskrun.value` in a WorkingDirectory inside a ForEach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { openEmbedded } from '../../src/runtime/embedded.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { startEngine, TEST_KEY, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => engine?.dispose());

const outputOf = (e: Execution, taskId: string): unknown[] =>
  e.taskRuns.filter((t) => t.taskId === taskId).map((t) => t.outputs?.value);

describe('Kestra 1.x types and variables on the engine', () => {
  it('Loop runs its iterations and collects their outputs', async () => {
    await engine.deploy(`id: loop
namespace: fid
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: { a: one, b: two }
    concurrencyLimit: 1
    outputs:
      - id: label
        type: STRING
        value: "{{ outputs.process.value }}"
    tasks:
      - id: process
        type: io.kestra.plugin.core.debug.Return
        format: "{{ item.key }}={{ item.value }}#{{ item.index }}"
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ loopOutputs(outputs.loop.outputs, 'label') | join(',') }}"
`);
    const e = await engine.run('fid', 'loop');
    expect(e.state.current).toBe('SUCCESS');
    expect(outputOf(e, 'after')).toEqual(['a=one#0,b=two#1']);
  });

  it('SetVariables / UnsetVariables change vars, and the change survives a restart', async () => {
    // An engine of its own, closed and opened again on the same data folder.
    const own = await startEngine();
    await own.deploy(`id: vars
namespace: fid
variables:
  greeting: hi
tasks:
  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      who: "{{ execution.id }}"
      gone: soon
  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables: [gone]
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.greeting }} {{ vars.who }} {{ vars.gone ?? 'none' }}"
`);
    const paused = await own.run('fid', 'vars', {}, { until: (e) => e.state.current === 'PAUSED' });
    await own.close();
    // A new process on the same data folder: the variables come back with the execution.
    const again = await openEmbedded({
      dataDir: own.dataDir,
      database: own.database,
      encryptionKey: TEST_KEY,
    });
    try {
      await again.executor.send(paused.id, { type: 'resume' });
      const e = await waitForExecution(again.executor, paused.id, (x) => x.state.current === 'SUCCESS');
      expect(outputOf(e, 'show')).toEqual([`hi ${paused.id} none`]);
      expect(e.variables).toEqual({ greeting: 'hi', who: paused.id });
    } finally {
      await again.close();
      // dispose() of the closed engine: its folder, and its schema on PostgreSQL.
      await own.dispose();
    }
  });

  it('input defaults as expressions, tasks / tasksWithState(), taskrun.value in a WorkingDirectory', async () => {
    await engine.deploy(`id: misc
namespace: fid
inputs:
  - id: day
    type: STRING
    defaults: "{{ now() | date('yyyy-MM-dd') }}"
  - id: given
    type: STRING
    defaults: unused
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: wd
        type: io.kestra.plugin.core.flow.WorkingDirectory
        tasks:
          - id: inside
            type: io.kestra.plugin.core.debug.Return
            format: "{{ taskrun.value }}"
  - id: maybe
    type: io.kestra.plugin.core.execution.Fail
    allowFailure: true
  - id: report
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.day }} {{ inputs.given }} {{ tasks.inside.state }} {{ tasksWithState('WARNING')[0].taskId }}"
`);
    const e = await engine.run('fid', 'misc', { given: '{{ 1 + 1 }}' });
    expect(e.state.current).toBe('WARNING');
    expect(outputOf(e, 'inside').sort()).toEqual(['a', 'b']);
    const today = new Date().toISOString().slice(0, 10);
    expect(outputOf(e, 'report')).toEqual([`${today} {{ 1 + 1 }} SUCCESS maybe`]);
  });
});
