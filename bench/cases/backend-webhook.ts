/**
 * Webhook call to the first task RUNNING (light load: one call at a time), p50 and p99, on one
 * `baton server` over SQLite and then over PostgreSQL. Goal: p50 < 25 ms on either.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiClient, BACKENDS, type Backend, reportRatio, stop, withBackend } from './backends.ts';
import { report, spawnServer, WEBHOOK_FLOW } from './common.ts';

const CALLS = 100;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

type Exec = {
  state: { current: string };
  taskRunList?: { state: { histories: { state: string; date: string }[] } }[];
};

const measure = async (backend: Backend, database: string | undefined) => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-backend-webhook-'));
  const { child, url } = await spawnServer(join(dir, 'data'), 'inherit', database ? ['--db', database] : []);
  try {
    const api = apiClient(url);
    await api('/api/v1/flows', {
      method: 'POST',
      headers: { 'content-type': 'application/x-yaml' },
      body: WEBHOOK_FLOW,
    });
    const call = async (n: number) => {
      const res = await fetch(`${url}/api/v1/executions/webhook/bench/hook/bench-key`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"n":${n}}`,
      });
      if (!res.ok) throw new Error(`webhook: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    };
    const ended = async (id: string): Promise<Exec> => {
      for (;;) {
        const e = (await (await api(`/api/v1/executions/${id}`)).json()) as Exec;
        if (['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(e.state.current)) return e;
        await sleep(2);
      }
    };
    for (let i = 0; i < 10; i++) await ended(await call(i)); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const sent = Date.now();
      const e = await ended(await call(i));
      const running = e.taskRunList?.[0]?.state.histories.find((h) => h.state === 'RUNNING');
      if (running) latencies.push(Date.parse(running.date) - sent);
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    report(
      `webhook to first task RUNNING on ${backend} (light load)`,
      { calls: latencies.length, p50ms: p50, p99ms: percentile(latencies, 0.99) },
      'p50 < 25 ms',
      p50 < 25,
    );
    return p50;
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
};

const p50s: Partial<Record<Backend, number>> = {};
for (const backend of BACKENDS) {
  try {
    p50s[backend] = await withBackend(backend, (database) => measure(backend, database));
  } catch (error) {
    report(`webhook to first task RUNNING on ${backend}`, { error: String(error) });
  }
}
reportRatio('webhook to first task RUNNING p50, PostgreSQL vs SQLite', 'p50ms', p50s);
