/**
 * `npm run bench`: every benchmark in its own child process (so memory figures are its own), then a
 * table of figures against the goals of the issues. Figures, not pass/fail: CI does not run this.
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
];
const node = process.execPath;
const results: Result[] = [];
for (const name of cases.filter((c) => only.length === 0 || only.includes(c))) {
  const file = fileURLToPath(new URL(`./cases/${name}.ts`, import.meta.url));
  const r = spawnSync(node, ['--expose-gc', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 600_000,
  });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    results.push(JSON.parse(line) as Result);
  } catch {
    results.push({
      name,
      figures: { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ') },
    });
  }
  const last = results.at(-1)!;
  const figures = Object.entries(last.figures)
    .map(([k, v]) => `${k}=${v}`)
    .join('  ');
  console.log(
    `${last.ok === false ? '✗' : last.ok ? '✓' : '·'} ${last.name.padEnd(44)} ${figures}${last.goal ? `   (goal: ${last.goal})` : ''}`,
  );
}
