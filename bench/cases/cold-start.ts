/** e) Cold start: `baton run` of a one-task flow, whole process, median of 5. Goal: < 0.5 s. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, SYNCHRONOUS } from './common.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-cold-'));
const flow = join(dir, 'one.yaml');
writeFileSync(
  flow,
  'id: one\nnamespace: bench\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hello\n',
);
// The command as users run it: bin/baton.js, which loads the bundle built by `npm run build`.
const main = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const times: number[] = [];
let status: number | null = 0;
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  const r = spawnSync(process.execPath, [main, 'run', flow, '--data', join(dir, `data${i}`)], {
    encoding: 'utf8',
  });
  times.push(performance.now() - start);
  status = r.status;
  if (r.status !== 0) console.error(r.stderr);
}
rmSync(dir, { recursive: true, force: true });
times.sort((a, b) => a - b);
const median = times[2]! / 1000;
report(
  `e) cold start of baton run [sync=${SYNCHRONOUS}]`,
  { exit: String(status), medianS: median.toFixed(3), minS: (times[0]! / 1000).toFixed(3) },
  '< 0.5 s',
  median < 0.5 && status === 0,
);
