/**
 * c) ForEach with a Return per value, all at once, at several sizes, each in its own process: wall time,
 * cost per task and peak RSS per size, then how the cost per task grows with the size (it should not).
 * Goals: 10,000 values < 10 s and < 400 MB; 100,000 values < 60 s and < 500 MB; the cost per task at
 * 100,000 within 1.5x of the cost at 1,000.
 * Sizes: BATON_BENCH_FOREACH_SIZES (default 1000,10000); BATON_BENCH_LARGE=1 adds 100000 (about a minute).
 */
import { fileURLToPath } from 'node:url';
import { isTerminal } from '../../src/execution/types.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import {
  benchSizes,
  curve,
  deploy,
  mb,
  ONE_SIZE,
  report,
  runPerSize,
  SYNCHRONOUS,
  withEngine,
} from './common.ts';

const LARGE = 100_000;
const source = (n: number) =>
  `id: foreach${n}\nnamespace: bench\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: "{{ range(1, ${n}) }}"\n    concurrencyLimit: 0\n    tasks:\n      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: "item {{ taskrun.value }}"\n`;

const goals: Record<number, { text: string; ok: (s: number, peakMb: number) => boolean }> = {
  10000: { text: '< 10 s, < 400 MB', ok: (s, peak) => s < 10 && peak < 400 },
  [LARGE]: { text: '< 60 s, < 500 MB', ok: (s, peak) => s < 60 && peak < 500 },
};

const one = async (n: number): Promise<void> => {
  await withEngine(async (engine) => {
    const run = async (size: number) => {
      const flow = await deploy(engine, source(size));
      const start = performance.now();
      const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
      const done = await waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current));
      return { done, ms: performance.now() - start };
    };
    // A small run first, so that the figure is the steady state, not module loading and compilation.
    await run(100);
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    // Small sizes end in a fraction of a second: the median of three makes a hiccup of the machine show less.
    const runs = [];
    for (let i = 0; i < (n <= 2_000 ? 3 : 1); i++) runs.push(await run(n));
    clearInterval(sampler);
    peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    const { done, ms } = runs.sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
    const s = ms / 1000;
    const goal = goals[n];
    report(
      `c) ForEach over ${n} values [sync=${SYNCHRONOUS}]`,
      {
        size: n,
        state: done.state.current,
        taskRuns: done.taskRuns.length,
        wallS: s.toFixed(2),
        msPerTask: (ms / n).toFixed(3),
        peakRssMB: mb(peak),
      },
      goal?.text,
      goal ? goal.ok(s, mb(peak)) && done.state.current === 'SUCCESS' : undefined,
    );
  });
};

if (process.env[ONE_SIZE]) await one(Number(process.env[ONE_SIZE]));
else {
  const sizes = benchSizes('BATON_BENCH_FOREACH_SIZES', [1_000, 10_000], [LARGE]);
  const results = runPerSize(fileURLToPath(import.meta.url), sizes);
  const { figures, ratio } = curve(results);
  const full = sizes.includes(1_000) && sizes.includes(LARGE);
  if (!sizes.includes(LARGE)) figures[`ms@${LARGE}`] = 'run with BATON_BENCH_LARGE=1';
  report(
    'c) ForEach cost per task by size',
    figures,
    `ms@${LARGE} <= 1.5 x ms@1000`,
    full ? ratio <= 1.5 : undefined,
  );
}
