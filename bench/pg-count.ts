/**
 * Counts the statements `pg` sends, by SQL text (whitespace folded), with their total time: imported
 * by bench/pg-queries.ts, or preloaded into any process (`node --import ./bench/pg-count.ts`, e.g. in
 * NODE_OPTIONS with BATON_FROM_SOURCE=1 for `baton server`): with BATON_PG_COUNT_DIR set, it counts from
 * the start and writes its table to `<dir>/<pid>.txt` when the process exits.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export const counts = new Map<string, { n: number; ms: number }>();
const dir = process.env.BATON_PG_COUNT_DIR;
let counting = dir !== undefined;
/** Starts or stops counting. */
export const setCounting = (on: boolean): void => {
  counting = on;
};

/** The table: one line per statement, most frequent first, `per` dividing the counts (tasks, executions). */
export const table = (per = 1): string => {
  const rows = [...counts.entries()].sort((a, b) => b[1].n - a[1].n);
  const total = rows.reduce((s, [, c]) => s + c.n, 0);
  return [
    `${total} statements (${(total / per).toFixed(1)} per unit)`,
    ...rows.map(
      ([sql, c]) => `${(c.n / per).toFixed(2).padStart(7)} ${c.ms.toFixed(0).padStart(6)} ms  ${sql}`,
    ),
  ].join('\n');
};

if (dir)
  process.on('exit', () =>
    writeFileSync(join(dir, `${process.pid}.txt`), `${process.argv.slice(1).join(' ')}\n${table()}\n`),
  );

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
