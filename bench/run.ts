/**
 * `npm run bench`: every benchmark in its own child process (so memory figures are its own), then a
 * table of figures against the goals of the issues. Figures, not pass/fail: CI does not run this.
 * `npm run bench -- engine-foreach` runs only the cases named. Size-parameterised cases (engine-foreach,
 * engine-sequential) print one line per size and one for the cost per task across sizes; their sizes
 * come from BATON_BENCH_FOREACH_SIZES / BATON_BENCH_SEQUENTIAL_SIZES, and BATON_BENCH_LARGE=1 adds the
 * sizes that take minutes (ForEach over 100,000 values). The backend-* cases run one workload on SQLite and
 * then on PostgreSQL (BATON_BENCH_PG_URL, default the local `test` database) and print the ratio.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Result {
  name: string;
  figures: Record<string, number | string>;
  goal?: string;
  ok?: boolean;
}

const only = process.argv.slice(2);
const cases = [
  'validate',
  'render',
  'engine-sequential',
  'engine-parallel-sleep',
  'engine-foreach',
  'engine-throughput',
  'cold-start',
  'idle-rss',
  'server-start',
  'server-api',
  'ui-load',
  'backend-sequential',
  'backend-throughput',
  'backend-webhook',
  'retention',
];
const node = process.execPath;
const large = process.env.BATON_BENCH_LARGE === '1';
if (!large)
  console.log(
    '(BATON_BENCH_LARGE=1 npm run bench adds ForEach over 100,000 values, about a minute, and the retention' +
      ' run over 100,000 executions, 10 to 20 minutes; `npm run bench -- retention` runs that one alone)',
  );
// The long runs go in the full run only when asked for: a plain `npm run bench` stays a few minutes.
const LONG = new Set(['retention']);
const results: Result[] = [];
for (const name of cases.filter((c) => (only.length === 0 ? large || !LONG.has(c) : only.includes(c)))) {
  const file = fileURLToPath(new URL(`./cases/${name}.ts`, import.meta.url));
  const r = spawnSync(node, ['--expose-gc', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    // Ten minutes a case; retention's 100,000 executions (then 20,000 on PostgreSQL) take longer on a
    // shared machine, and a killed case reports nothing.
    timeout: name === 'retention' ? 1_800_000 : 600_000,
  });
  // A case prints one result line, or several (one per size, then a summary).
  const lines: Result[] = [];
  for (const line of r.stdout.trim().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Result);
    } catch {
      // not a result line
    }
  }
  if (lines.length === 0 || r.status !== 0)
    lines.push({ name, figures: { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ') } });
  for (const result of lines) {
    results.push(result);
    const figures = Object.entries(result.figures)
      .map(([k, v]) => `${k}=${v}`)
      .join('  ');
    console.log(
      `${result.ok === false ? '✗' : result.ok ? '✓' : '·'} ${result.name.padEnd(44)} ${figures}${result.goal ? `   (goal: ${result.goal})` : ''}`,
    );
  }
}
