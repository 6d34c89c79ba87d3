/**
 * One-task executions per second with one executor and two worker processes, on SQLite (one data
 * folder) and then on PostgreSQL: `baton server --roles api,scheduler,executor` and two `baton worker`,
 * N executions created over the API by 20 clients, timed until every one has ended.
 * Goal: >= 300/s on 2 cores. N: BATON_BENCH_BACKEND_EXECUTIONS (default 2000).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { apiClient, BACKENDS, type Backend, reportRatio, stop, withBackend } from './backends.ts';
import { report, spawnServer } from './common.ts';

const N = Number(process.env.BATON_BENCH_BACKEND_EXECUTIONS ?? 2000);
const CLIENTS = 20;
const main = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const flow = [
  'id: one',
  'namespace: bench',
  'tasks:',
  '  - id: r',
  '    type: io.kestra.plugin.core.debug.Return',
  '    format: "{{ execution.id }}"',
].join('\n');

const measure = async (backend: Backend, database: string | undefined) => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-backend-throughput-'));
  const data = join(dir, 'data');
  const db = database ? ['--db', database] : [];
  const children: ChildProcess[] = [];
  try {
    const server = await spawnServer(data, 'inherit', ['--roles', 'api,scheduler,executor', ...db]);
    children.push(server.child);
    for (let i = 0; i < 2; i++)
      children.push(spawn(process.execPath, [main, 'worker', '--data', data, ...db], { stdio: 'inherit' }));
    const api = apiClient(server.url);
    // Both workers have registered (heartbeat) before the clock starts.
    for (;;) {
      const { instances } = (await (await api('/api/v1/cluster')).json()) as {
        instances: { roles: string[]; status: string }[];
      };
      if (instances.filter((i) => i.status === 'ALIVE' && i.roles.includes('worker')).length >= 2) break;
      await sleep(100);
    }
    await api('/api/v1/flows', {
      method: 'POST',
      headers: { 'content-type': 'application/x-yaml' },
      body: flow,
    });
    const ended = async () => {
      const r = await api('/api/v1/executions/search?namespace=bench&flowId=one&state=SUCCESS&size=1');
      return ((await r.json()) as { total: number }).total;
    };
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < N) {
          next++;
          await api('/api/v1/executions/bench/one', { method: 'POST' });
        }
      }),
    );
    const createdS = (performance.now() - start) / 1000;
    let done = 0;
    for (; done < N; done = await ended()) await sleep(50);
    const s = (performance.now() - start) / 1000;
    const rate = Math.round(N / s);
    report(
      `${N} one-task executions, 1 executor + 2 workers, on ${backend}`,
      { succeeded: done, createS: createdS.toFixed(2), wallS: s.toFixed(2), executionsPerS: rate },
      '>= 300/s on 2 cores',
      rate >= 300,
    );
    return rate;
  } finally {
    for (const child of children.reverse()) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
};

const rates: Partial<Record<Backend, number>> = {};
for (const backend of BACKENDS) {
  try {
    rates[backend] = await withBackend(backend, (database) => measure(backend, database));
  } catch (error) {
    report(`executions per second on ${backend}`, { error: String(error) });
  }
}
reportRatio('executions per second, PostgreSQL vs SQLite', 'executionsPerS', rates);
