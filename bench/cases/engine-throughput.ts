/** d) 1,000 executions of a one-task flow created at once: executions per second. Goal: >= 500/s. */
import { isTerminal } from '../../src/execution/types.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { deploy, report, SYNCHRONOUS, withEngine } from './common.ts';

const N = 1000;
const source =
  'id: one\nnamespace: bench\ntasks:\n  - id: r\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ execution.id }}"\n';

await withEngine(async (engine) => {
  const flow = await deploy(engine, source);
  const start = performance.now();
  const created = [];
  for (let i = 0; i < N; i++)
    created.push(await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 }));
  const createdMs = performance.now() - start;
  const finals = await Promise.all(
    created.map((e) => waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current))),
  );
  const s = (performance.now() - start) / 1000;
  const ok = finals.filter((e) => e.state.current === 'SUCCESS').length;
  const rate = N / s;
  report(
    `d) ${N} executions at once [sync=${SYNCHRONOUS}]`,
    { succeeded: ok, createMs: Math.round(createdMs), wallS: s.toFixed(2), executionsPerS: Math.round(rate) },
    '>= 500/s',
    rate >= 500 && ok === N,
  );
});
