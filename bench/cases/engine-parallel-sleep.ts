/** b) 10 Sleep tasks of 1 s in a Parallel: wall time. Goal: < 1.05 s. */
import { isTerminal } from '../../src/execution/types.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { deploy, report, SYNCHRONOUS, withEngine } from './common.ts';

const source = `id: sleep10\nnamespace: bench\ntasks:\n  - id: parallel\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n${Array.from({ length: 10 }, (_, i) => `      - id: s${i}\n        type: io.kestra.plugin.core.flow.Sleep\n        duration: PT1S\n`).join('')}`;

await withEngine(async (engine) => {
  const flow = await deploy(engine, source);
  // Warm-up with short sleeps, so that the figure is the engine's overhead, not module loading.
  const warm = await deploy(engine, source.replace('id: sleep10', 'id: warm').replaceAll('PT1S', 'PT0.01S'));
  const w = await engine.executor.createExecution({ flow: warm, revision: warm.revision ?? 1 });
  await waitForExecution(engine.executor, w.id, (x) => isTerminal(x.state.current));
  const start = performance.now();
  const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
  const done = await waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current));
  const s = (performance.now() - start) / 1000;
  report(
    `b) 10 x Sleep 1s in a Parallel [sync=${SYNCHRONOUS}]`,
    { state: done.state.current, wallS: s.toFixed(3) },
    '< 1.05 s',
    s < 1.05 && done.state.current === 'SUCCESS',
  );
});
