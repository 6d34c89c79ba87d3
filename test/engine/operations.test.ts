/**
 * Operator actions on a real embedded engine: kill (cascading to subflows), replay from a task,
 * change a task run's state, and WorkingDirectory children sharing one folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal } from '../../src/execution/types.ts';
import { replayExecution } from '../../src/executor/replay.ts';
import { newId } from '../../src/util/ids.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine();
  await engine.deploy(`id: sleeper
namespace: ops
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT60S
  - id: never
    type: io.kestra.plugin.core.log.Log
    message: not reached
`);
  await engine.deploy(`id: parent
namespace: ops
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: ops
    flowId: sleeper
`);
  await engine.deploy(`id: three
namespace: ops
tasks:
  - id: t1
    type: io.kestra.plugin.core.debug.Return
    format: "{{ execution.id }}"
  - id: t2
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.t1.value }}-2"
  - id: t3
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: stop here
`);
  await engine.deploy(`id: shared-folder
namespace: ops
tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["echo hello > note.txt"]
      - id: read
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["cat note.txt"]
        outputFiles: ["note.txt"]
`);
});
afterAll(async () => engine?.dispose());

describe('operations', () => {
  it('kills a running execution: the running task stops and the rest never runs', async () => {
    const running = await engine.run(
      'ops',
      'sleeper',
      {},
      { until: (e) => e.taskRuns[0]?.state.current === 'RUNNING' },
    );
    await engine.executor.send(running.id, { type: 'kill' });
    const killed = await engine.waitFor(running.id);
    expect(killed.state.current).toBe('KILLED');
    expect(killed.taskRuns.map((t) => `${t.taskId}:${t.state.current}`)).toEqual(['nap:KILLED']);
  });

  it('cascades a kill to subflow executions', async () => {
    const parent = await engine.run(
      'ops',
      'parent',
      {},
      { until: (e) => Boolean(e.taskRuns[0]?.outputs?.executionId) },
    );
    const childId = String(parent.taskRuns[0]!.outputs!.executionId);
    await engine.waitFor(childId, (e) => e.taskRuns[0]?.state.current === 'RUNNING');
    await engine.executor.send(parent.id, { type: 'kill' });
    expect((await engine.waitFor(parent.id)).state.current).toBe('KILLED');
    expect((await engine.waitFor(childId)).state.current).toBe('KILLED');
  });

  it('replays from a task: earlier task runs are kept, the chosen one and later run again', async () => {
    const first = await engine.run('ops', 'three');
    expect(first.state.current).toBe('FAILED');
    const copy = replayExecution(first, 't2', newId, Date.now());
    const { taskRuns, ...row } = copy;
    await engine.store.writeExecution({
      execution: row,
      taskRuns,
      enqueue: [{ queue: 'executor', executionId: copy.id, payload: { type: 'restart' } }],
    });
    engine.executor.start();
    const replayed = await engine.waitFor(
      copy.id,
      (e) => e.state.current !== 'RESTARTED' && isTerminal(e.state.current),
    );
    expect(replayed.originalId).toBe(first.id);
    expect(replayed.taskRuns.map((t) => t.taskId)).toEqual(['t1', 't2', 't3']);
    expect(replayed.taskRuns[0]!.outputs?.value).toBe(first.id);
    expect(replayed.taskRuns[0]!.attempts).toHaveLength(1);
    expect(replayed.taskRuns[1]!.outputs?.value).toBe(`${first.id}-2`);
    expect(replayed.state.current).toBe('FAILED');
  });

  it('changes the state of a failed task run, which settles the execution', async () => {
    const failed = await engine.run('ops', 'three');
    const t3 = failed.taskRuns.find((t) => t.taskId === 't3')!;
    await engine.executor.send(failed.id, { type: 'set-task-run-state', taskRunId: t3.id, state: 'SUCCESS' });
    const fixed = await engine.waitFor(failed.id, (e) => e.state.current === 'SUCCESS');
    expect(fixed.taskRuns.find((t) => t.taskId === 't3')!.state.current).toBe('SUCCESS');
  });

  it('runs the children of a WorkingDirectory in one shared folder', async () => {
    const e = await engine.run('ops', 'shared-folder');
    expect(e.state.current).toBe('SUCCESS');
    const read = e.taskRuns.find((t) => t.taskId === 'read')!;
    const uri = (read.outputs?.outputFiles as Record<string, string> | undefined)?.['note.txt'] ?? '';
    expect((await engine.storage.get(uri)).toString()).toBe('hello\n');
  });
});

describe('flow retry', () => {
  it('CREATE_NEW_EXECUTION: a failed execution is RETRIED and a new attempt runs after the interval', async () => {
    await engine.deploy(`id: flaky-flow
namespace: ops
retry:
  type: constant
  interval: PT0.2S
  maxAttempt: 2
  behavior: CREATE_NEW_EXECUTION
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`);
    const next = new Promise<import('../../src/execution/types.ts').Execution>((resolve) => {
      const on = (e: import('../../src/execution/types.ts').Execution) => {
        if (e.flowId === 'flaky-flow' && e.attemptNumber === 2 && isTerminal(e.state.current)) {
          engine.executor.off('execution', on);
          resolve(e);
        }
      };
      engine.executor.on('execution', on);
    });
    const first = await engine.run('ops', 'flaky-flow', {}, { until: (e) => e.state.current === 'RETRIED' });
    const second = await next;
    expect(second.originalId).toBe(first.id);
    expect(second.state.current).toBe('FAILED');
    expect(
      Date.parse(second.state.startDate) - Date.parse(first.state.endDate ?? first.state.startDate),
    ).toBeGreaterThanOrEqual(150);
  });
});

describe('flow properties', () => {
  it('afterExecution tasks run once the execution has its final state', async () => {
    await engine.deploy(`id: with-after
namespace: ops
tasks:
  - id: main
    type: io.kestra.plugin.core.debug.Return
    format: done
afterExecution:
  - id: notify
    type: io.kestra.plugin.core.debug.Return
    format: "ended {{ execution.state }}"
`);
    const e = await engine.run(
      'ops',
      'with-after',
      {},
      {
        until: (x) => x.taskRuns.some((t) => t.taskId === 'notify' && isTerminal(t.state.current)),
      },
    );
    expect(e.state.current).toBe('SUCCESS');
    const notify = e.taskRuns.find((t) => t.taskId === 'notify')!;
    expect(notify.state.current).toBe('SUCCESS');
    expect(String(notify.outputs?.value)).toMatch(/^ended /);
  });

  it('afterExecution tasks run after finally, on a failed execution too', async () => {
    await engine.deploy(`id: after-finally
namespace: ops
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: stop
finally:
  - id: cleanup
    type: io.kestra.plugin.core.debug.Return
    format: cleaned
afterExecution:
  - id: notify
    type: io.kestra.plugin.core.debug.Return
    format: "ended {{ execution.state }}"
`);
    const e = await engine.run(
      'ops',
      'after-finally',
      {},
      { until: (x) => x.taskRuns.some((t) => t.taskId === 'notify' && isTerminal(t.state.current)) },
    );
    expect(e.state.current).toBe('FAILED');
    expect(e.taskRuns.map((t) => t.taskId)).toEqual(['boom', 'cleanup', 'notify']);
    expect(e.taskRuns[2]?.outputs?.value).toBe('ended FAILED');
  });

  it('concurrency FAIL: an execution over the limit ends FAILED at once', async () => {
    await engine.deploy(`id: one-at-a-time
namespace: ops
concurrency:
  limit: 1
  behavior: FAIL
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.5S
`);
    const flow = await engine.flows.get('ops', 'one-at-a-time');
    const first = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
    await engine.waitFor(first.id, (e) => e.state.current === 'RUNNING');
    const second = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
    expect((await engine.waitFor(second.id)).state.current).toBe('FAILED');
    expect((await engine.waitFor(first.id)).state.current).toBe('SUCCESS');
  });
});
