/**
 * Not a benchmark case: a profile of the statements the engine sends to PostgreSQL. Runs the
 * backend-sequential workload (one execution of N sequential Return tasks, in-process engine) once to
 * warm up, then once counted: every `pg` client query is counted by its SQL (whitespace folded) with
 * its total time, and the table is printed, statements per task first. Run:
 * `node bench/pg-queries.ts [N]` (BATON_BENCH_PG_URL as the backend-* cases).
 */
import { isTerminal } from '../src/execution/types.ts';
import { waitForExecution } from '../src/runtime/wait.ts';
import { withBackend } from './cases/backends.ts';
import { deploy, withEngine } from './cases/common.ts';
import { counts, setCounting, table } from './pg-count.ts';

const N = Number(process.argv[2] ?? 40);
const source = `id: seq${N}\nnamespace: bench\ntasks:\n${Array.from({ length: N }, (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ execution.id }} ${i}"\n`).join('')}`;

await withBackend('postgres', (database) =>
  withEngine(async (engine) => {
    const flow = await deploy(engine, source);
    const run = async () => {
      const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
      await waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current));
    };
    await run();
    counts.clear();
    setCounting(true);
    const start = performance.now();
    await run();
    const ms = performance.now() - start;
    setCounting(false);
    console.log(`${N} tasks: ${ms.toFixed(0)} ms`);
    console.log(table(N));
  }, database),
);
