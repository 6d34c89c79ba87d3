/**
 * 40 sequential Return tasks in the in-process engine, on SQLite and then on PostgreSQL: cost per task.
 * Goal: < 3 ms per task on either.
 */
import { isTerminal } from '../../src/execution/types.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { BACKENDS, type Backend, reportRatio, withBackend } from './backends.ts';
import { deploy, report, SYNCHRONOUS, withEngine } from './common.ts';

const N = 40;
const source = `id: seq${N}\nnamespace: bench\ntasks:\n${Array.from({ length: N }, (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ execution.id }} ${i}"\n`).join('')}`;

const perTask: Partial<Record<Backend, number>> = {};
for (const backend of BACKENDS) {
  await withBackend(backend, (database) =>
    withEngine(async (engine) => {
      const flow = await deploy(engine, source);
      const run = async () => {
        const start = performance.now();
        const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
        const done = await waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current));
        return { state: done.state.current, ms: performance.now() - start };
      };
      // A warm-up run: the figure is the steady state, not module loading and connection set-up.
      await run();
      // Median of seven runs: one short run is at the mercy of a hiccup.
      const runs = [];
      for (let i = 0; i < 7; i++) runs.push(await run());
      const { state, ms } = runs.sort((a, b) => a.ms - b.ms)[3]!;
      const cost = ms / N;
      perTask[backend] = Number(cost.toFixed(3));
      report(
        `${N} sequential tasks on ${backend}${backend === 'sqlite' ? ` [sync=${SYNCHRONOUS}]` : ''}`,
        { state, wallMs: Math.round(ms), msPerTask: cost.toFixed(3) },
        '< 3 ms per task',
        cost < 3 && state === 'SUCCESS',
      );
    }, database),
  );
}
reportRatio(`${N} sequential tasks, PostgreSQL vs SQLite`, 'msPerTask', perTask);
