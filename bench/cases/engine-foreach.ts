/** c) ForEach over 10,000 values with a Return each: wall time and peak RSS. Goal: < 10 s, < 400 MB. */
import { isTerminal } from '../../src/execution/types.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { deploy, mb, report, SYNCHRONOUS, withEngine } from './common.ts';

const N = Number(process.env.BATON_BENCH_FOREACH ?? 10_000);
const source = `id: foreach\nnamespace: bench\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: "{{ range(1, ${N}) }}"\n    concurrencyLimit: 0\n    tasks:\n      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: "item {{ taskrun.value }}"\n`;

await withEngine(async (engine) => {
  const flow = await deploy(engine, source);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const start = performance.now();
  const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
  const done = await waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current));
  const s = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  report(
    `c) ForEach over ${N} values [sync=${SYNCHRONOUS}]`,
    { state: done.state.current, taskRuns: done.taskRuns.length, wallS: s.toFixed(2), peakRssMB: mb(peak) },
    '< 10 s, < 400 MB',
    s < 10 && mb(peak) < 400 && done.state.current === 'SUCCESS',
  );
});
