/** a) One flow of 40 sequential Return tasks: wall time and overhead per task. Goal: < 2 ms per task. */
import { isTerminal } from '../../src/execution/types.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { deploy, report, SYNCHRONOUS, withEngine } from './common.ts';

const TASKS = 40;
const source = `id: seq40\nnamespace: bench\ntasks:\n${Array.from({ length: TASKS }, (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ execution.id }} ${i}"\n`).join('')}`;

await withEngine(async (engine) => {
  const flow = await deploy(engine, source);
  // One warm-up run so that the figure is the steady state, not module loading.
  const warm0 = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
  const warm = await waitForExecution(engine.executor, warm0.id, (e) => isTerminal(e.state.current));
  // Median of five runs: one run of 40 tasks is short enough for a hiccup of the machine to show.
  const runs: number[] = [];
  let done = warm;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
    done = await waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current));
    runs.push(performance.now() - start);
  }
  const ms = runs.sort((a, b) => a - b)[2]!;
  const perTask = ms / TASKS;
  report(
    `a) 40 sequential Return tasks [sync=${SYNCHRONOUS}]`,
    { state: done.state.current, wallMs: Math.round(ms), msPerTask: perTask.toFixed(2) },
    '< 2 ms per task',
    perTask < 2 && done.state.current === 'SUCCESS',
  );
});
