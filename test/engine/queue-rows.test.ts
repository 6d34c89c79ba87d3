/**
 * No queue row outlives its execution, on both stores: once an execution has ended and nothing of it
 * runs any more, it has no executor message (delayed ones included: a pause's timer, a retry), no
 * worker job and no owner record left. The end and the purge are one write, so this holds the moment
 * the executor reports the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Execution, isTerminal } from '../../src/execution/types.ts';
import { loadFlowSource } from '../../src/flow/index.ts';
import { type Embedded, openEmbedded } from '../../src/runtime/embedded.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { TEST_KEY } from '../helpers/engine.ts';
import { dropSchemas, PG_URL, schemaName } from '../store/pg-helpers.ts';

const FLOWS = {
  ok: `id: ok
namespace: rows
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: hi
`,
  failing: `id: failing
namespace: rows
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    retry:
      type: constant
      interval: PT0.05S
      maxAttempts: 2
`,
  sleeping: `id: sleeping
namespace: rows
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT60S
`,
  pausing: `id: pausing
namespace: rows
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    delay: PT1H
`,
};

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await dropSchemas();
});

/** Ended, and nothing of it runs any more (afterExecution tasks, a task being killed). */
const settled = (e: Execution) =>
  isTerminal(e.state.current) && e.taskRuns.every((t) => isTerminal(t.state.current));

describe.each([
  ['sqlite', () => undefined],
  ['postgres', () => `${PG_URL}?schema=${schemaName()}`],
])('queue rows of ended executions (%s)', (_name, database) => {
  const withEngine = async (
    fn: (engine: Embedded, start: (flowId: keyof typeof FLOWS) => Promise<string>) => Promise<void>,
  ) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-rows-'));
    dirs.push(dataDir);
    const engine = await openEmbedded({ dataDir, database: database(), encryptionKey: TEST_KEY });
    const start = async (flowId: keyof typeof FLOWS) => {
      const { flow } = loadFlowSource(FLOWS[flowId], `${flowId}.yaml`);
      const stored = await engine.store.saveFlow(flow!.namespace, flow!.id, FLOWS[flowId]);
      const e = await engine.executor.createExecution({
        flow: { ...flow!, revision: stored.revision },
        revision: stored.revision,
      });
      return e.id;
    };
    try {
      await fn(engine, start);
    } finally {
      await engine.close();
    }
  };
  const noneLeft = async (engine: Embedded, id: string, state: string) => {
    const e = await waitForExecution(engine.executor, id, settled);
    expect(e.state.current).toBe(state);
    expect(await engine.store.countQueue()).toBe(0);
    expect(await engine.store.getExecutionOwner(id)).toBeUndefined();
  };

  it('a succeeded and a failed (retried) execution leave no queue row', async () => {
    await withEngine(async (engine, start) => {
      await noneLeft(engine, await start('ok'), 'SUCCESS');
      await noneLeft(engine, await start('failing'), 'FAILED');
    });
  });

  it('an execution killed while its task runs, or while paused on a timer, leaves no queue row', async () => {
    await withEngine(async (engine, start) => {
      const sleeping = await start('sleeping');
      await waitForExecution(engine.executor, sleeping, (e) => e.taskRuns[0]?.state.current === 'RUNNING');
      expect(await engine.store.countQueue('worker')).toBe(1);
      await engine.executor.send(sleeping, { type: 'kill' });
      await noneLeft(engine, sleeping, 'KILLED');

      const paused = await start('pausing');
      await waitForExecution(engine.executor, paused, (e) => e.state.current === 'PAUSED');
      // The pause's timer: a message due in an hour.
      expect(await engine.store.nextAvailableAt('executor')).toBeGreaterThan(Date.now() + 60_000);
      await engine.executor.send(paused, { type: 'kill' });
      await noneLeft(engine, paused, 'KILLED');
    });
  });
});
