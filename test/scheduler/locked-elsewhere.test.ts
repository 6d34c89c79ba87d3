/**
 * A schedule locked by its execution (allowConcurrent false) while that execution is run by another
 * process: this scheduler hears no event of its end, and must still fire the next tick about on time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Embedded, openEmbedded } from '../../src/runtime/embedded.ts';
import type { ExecutionCreator } from '../../src/scheduler/firing.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { TEST_KEY } from '../helpers/engine.ts';
import { until } from '../helpers/schedule.ts';

let engine: Embedded;
let scheduler: Scheduler;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-locked-elsewhere-'));
  engine = await openEmbedded({ dataDir: join(dir, 'data'), encryptionKey: TEST_KEY });
  // The engine's executor creates and runs the executions, but the scheduler is told of none of their
  // ends: as when another process's executor runs them.
  const deaf: ExecutionCreator & { on(): unknown; off(): unknown } = {
    prepareExecution: (req) => engine.executor.prepareExecution(req),
    created: (execution) => engine.executor.created(execution),
    on: () => deaf,
    off: () => deaf,
  };
  const ignore = () => undefined;
  scheduler = new Scheduler({
    store: engine.store,
    flows: engine.flows,
    executor: deaf,
    log: { info: ignore, warn: ignore, error: ignore },
  });
  scheduler.start();
});
afterAll(async () => {
  await scheduler?.stop();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a one-second schedule whose executions end elsewhere fires each tick, not each lock check (5 s)', async () => {
  await engine.store.saveFlow(
    'locks',
    'every-second',
    `id: every-second
namespace: locks
tasks:
  - id: r
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.date }}"
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * * *"
    withSeconds: true
`,
  );
  const started = async () =>
    (await engine.store.listExecutions({ namespace: 'locks', flowId: 'every-second', limit: 100 }))
      .map((e) => Date.parse(e.state.histories[0]!.date))
      .sort((a, b) => a - b);
  const first = await until('a first execution', async () => (await started())[0]);
  // Three more ticks after the first: 3 s on time. Before, the lock was looked at every 5 s, so the
  // fourth start came 15 s or more after the first; 9 s leaves room for a loaded machine.
  const fourth = await until('three more executions', async () => (await started())[3], 20_000);
  expect(fourth - first).toBeLessThan(9_000);
});
