/**
 * f) RSS of an idle engine. Goal: < 80 MB. Measured on the command as users run it (bin/baton.js, the
 * bundle): `baton run` of a flow that pauses for an hour keeps executor and worker started with nothing
 * to do; its resident memory is read from /proc once it has been idle for a second.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { report, SYNCHRONOUS } from './common.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-idle-'));
const flow = join(dir, 'idle.yaml');
writeFileSync(
  flow,
  'id: idle\nnamespace: bench\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Pause\n    delay: PT1H\n',
);
const main = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const child = spawn(process.execPath, [main, 'run', flow, '--json', '--data', join(dir, 'data')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.includes('"PAUSED"')) resolve();
  });
  child.once('exit', () => reject(new Error('baton run exited before pausing')));
});
// Idle means idle: let start-up garbage be collected and the poll loops settle.
await sleep(1500);
const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
child.kill('SIGKILL');
rmSync(dir, { recursive: true, force: true });
const mbs = Math.round(rssKb / 1024);
report(`f) idle engine RSS (baton run, paused) [sync=${SYNCHRONOUS}]`, { rssMB: mbs }, '< 80 MB', mbs < 80);
