/**
 * Not a benchmark case: a profile of the statements the engine sends to PostgreSQL. Runs the
 * backend-sequential workload (one execution of N sequential Return tasks, in-process engine) once to
 * warm up, then once counted: every `pg` client query is counted by its SQL (whitespace folded) with
 * its total time, and the table is printed, statements per task first. Run:
 * `node bench/pg-queries.ts [N]` (BATON_BENCH_PG_URL as the backend-* cases).
 */
import pg from 'pg';
import { isTerminal } from '../src/execution/types.ts';
import { waitForExecution } from '../src/runtime/wait.ts';
import { withBackend } from './cases/backends.ts';
import { deploy, withEngine } from './cases/common.ts';

const N = Number(process.argv[2] ?? 40);
const source = `id: seq${N}\nnamespace: bench\ntasks:\n${Array.from({ length: N }, (_, i) => `  - id: t${i}\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ execution.id }} ${i}"\n`).join('')}`;

const counts = new Map<string, { n: number; ms: number }>();
let counting = false;
const original = pg.Client.prototype.query;
// biome-ignore lint/suspicious/noExplicitAny: wraps every overload of query
(pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
  const sql = typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '?');
  const key = String(sql).replace(/\s+/g, ' ').trim().slice(0, 400);
  const start = performance.now();
  const c = counts.get(key) ?? { n: 0, ms: 0 };
  const done = () => {
    if (!counting) return;
    counts.set(key, c);
    c.n++;
    c.ms += performance.now() - start;
  };
  // The pool calls with a callback (no promise back); transactions' clients call without.
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const callback = args[last];
    // biome-ignore lint/suspicious/noExplicitAny: as above
    args[last] = (...r: any[]) => {
      done();
      return callback(...r);
    };
  }
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const result = (original as any).apply(this, args);
  if (result && typeof result.then === 'function') result.then(done, done);
  return result;
};

await withBackend('postgres', (database) =>
  withEngine(async (engine) => {
    const flow = await deploy(engine, source);
    const run = async () => {
      const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
      await waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current));
    };
    await run();
    counting = true;
    const start = performance.now();
    await run();
    const ms = performance.now() - start;
    counting = false;
    const rows = [...counts.entries()].sort((a, b) => b[1].n - a[1].n);
    const total = rows.reduce((s, [, c]) => s + c.n, 0);
    console.log(`${N} tasks: ${ms.toFixed(0)} ms, ${total} statements (${(total / N).toFixed(1)} per task)`);
    for (const [sql, c] of rows)
      console.log(`${(c.n / N).toFixed(2).padStart(6)}/task ${c.ms.toFixed(0).padStart(6)} ms  ${sql}`);
  }, database),
);
