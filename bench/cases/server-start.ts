import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { report, spawnServer } from './common.ts';

const _main = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'baton-server-start-'));

const startOnce = async (i: number, idleMs: number) => {
  const start = performance.now();
  const { child, url } = await spawnServer(join(dir, `d${i}`));
  while ((await fetch(`${url}/ready`).catch(() => undefined))?.status !== 200) await sleep(5);
  const readyMs = performance.now() - start;
  let rssMb = 0;
  if (idleMs > 0) {
    await sleep(idleMs);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { readyMs, rssMb };
};

const times: number[] = [];
let rss = 0;
for (let i = 0; i < 5; i++) {
  const r = await startOnce(i, i === 4 ? 2000 : 0);
  times.push(r.readyMs);
  if (r.rssMb) rss = r.rssMb;
}
rmSync(dir, { recursive: true, force: true });
times.sort((a, b) => a - b);
const median = times[2]! / 1000;
report(
  'g) baton server: start to ready',
  { medianS: median.toFixed(3), minS: (times[0]! / 1000).toFixed(3) },
  '< 1 s',
  median < 1,
);
report('g) baton server: idle RSS', { rssMB: rss }, '< 120 MB', rss < 120);
