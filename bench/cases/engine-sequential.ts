/**
 * a) Flows of sequential Return tasks at several sizes, each in its own process: wall time and cost per
 * task per size, then how the cost per task grows with the size (it should not).
 * Goal: < 2 ms per task, at 40 tasks and at 5,000.
 * Sizes: BATON_BENCH_SEQUENTIAL_SIZES (default 40,2000,5000).
 */
import { fileURLToPath } from 'node:url';
import { isTerminal } from '../../src/execution/types.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import {
  benchSizes,
  curve,
  deploy,
  ONE_SIZE,
  report,
  runPerSize,
  SYNCHRONOUS,
  withEngine,
} from './common.ts';

const source = (n: number) =>
  `id: seq${n}\nnamespace: bench\ntasks:\n${Array.from({ length: n }, (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ execution.id }} ${i}"\n`).join('')}`;

const one = async (n: number): Promise<void> => {
  await withEngine(async (engine) => {
    const run = async (size: number) => {
      const flow = await deploy(engine, source(size));
      const start = performance.now();
      const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
      const done = await waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current));
      return { done, ms: performance.now() - start };
    };
    // A warm-up run so that the figure is the steady state, not module loading and compilation.
    await run(40);
    // Median of five runs (three for the larger sizes): one short run is at the mercy of a hiccup.
    const count = n <= 100 ? 5 : n <= 2_000 ? 3 : 1;
    const runs = [];
    for (let i = 0; i < count; i++) runs.push(await run(n));
    const { done, ms } = runs.sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
    const perTask = ms / n;
    report(
      `a) ${n} sequential Return tasks [sync=${SYNCHRONOUS}]`,
      { size: n, state: done.state.current, wallMs: Math.round(ms), msPerTask: perTask.toFixed(3) },
      '< 2 ms per task',
      perTask < 2 && done.state.current === 'SUCCESS',
    );
  });
};

if (process.env[ONE_SIZE]) await one(Number(process.env[ONE_SIZE]));
else {
  const sizes = benchSizes('BATON_BENCH_SEQUENTIAL_SIZES', [40, 2_000, 5_000], []);
  const { figures } = curve(runPerSize(fileURLToPath(import.meta.url), sizes));
  report('a) sequential cost per task by size', figures);
}
