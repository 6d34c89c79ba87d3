/**
 * g) `baton server` start to ready, and its idle RSS. Goals: ready < 1 s, idle RSS < 120 MB. The command
 * as users run it (bin/baton.js over the bundle), on a fresh data folder each time (migrations included);
 * ready = the first 200 from /ready. Median of 5 starts; the RSS is read from /proc after 2 s of idling.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { report } from './common.ts';

const main = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'baton-server-start-'));

const startOnce = async (i: number, idleMs: number) => {
  const start = performance.now();
  const child = spawn(process.execPath, [main, 'server', '--data', join(dir, `d${i}`), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, BATON_ADMIN_USER: 'admin', BATON_ADMIN_PASSWORD: 'bench-password' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /Baton server on (\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error('baton server exited')));
  });
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
