import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BENCH_ADMIN, report, spawnServer, WEBHOOK_FLOW } from './common.ts';

const _main = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'baton-server-api-'));
const auth = `Basic ${Buffer.from(`${BENCH_ADMIN.user}:${BENCH_ADMIN.password}`).toString('base64')}`;
const TOTAL = Number(process.env.BATON_BENCH_WEBHOOKS ?? 5000);
const CLIENTS = 50;

const { child, url } = await spawnServer(join(dir, 'data'), 'inherit');

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: auth, ...init.headers } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return res;
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

try {
  await api('/api/v1/flows', {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: WEBHOOK_FLOW,
  });
  const hook = `${url}/api/v1/executions/webhook/bench/hook/bench-key`;
  const call = async (n: number) => {
    const res = await fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"n":${n}}`,
    });
    if (!res.ok) throw new Error(`webhook: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  type Exec = {
    state: { current: string };
    taskRunList?: { state: { histories: { state: string; date: string }[] } }[];
  };
  const ended = async (id: string): Promise<Exec> => {
    for (;;) {
      const e = (await (await api(`/api/v1/executions/${id}`)).json()) as Exec;
      if (['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(e.state.current)) return e;
      await sleep(2);
    }
  };

  // Light load: one call at a time.
  for (let i = 0; i < 10; i++) await ended(await call(i)); // warm-up
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    const sent = Date.now();
    const e = await ended(await call(i));
    const running = e.taskRunList?.[0]?.state.histories.find((h) => h.state === 'RUNNING');
    if (running) latencies.push(Date.parse(running.date) - sent);
  }
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 0.5);
  report(
    'h) webhook to first task RUNNING (light load)',
    { p50ms: p50, p99ms: percentile(latencies, 0.99) },
    'p50 < 20 ms',
    p50 < 20,
  );

  // Sustained: 50 clients, TOTAL calls, then wait for every execution to end.
  const answers: number[] = [];
  const ids: string[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < TOTAL) {
        const n = next++;
        const t = performance.now();
        ids.push(await call(n));
        answers.push(performance.now() - t);
      }
    }),
  );
  const answered = performance.now() - start;
  for (;;) {
    const r = await api('/api/v1/executions/search?namespace=bench&flowId=hook&state=SUCCESS&size=1');
    const { total } = (await r.json()) as { total: number };
    if (total >= TOTAL + 110) break;
    await sleep(50);
  }
  const seconds = (performance.now() - start) / 1000;
  answers.sort((a, b) => a - b);
  const rate = Math.round(TOTAL / seconds);
  report(
    `h) sustained webhook executions (${CLIENTS} clients, ${TOTAL} calls)`,
    {
      execPerS: rate,
      answersPerS: Math.round(TOTAL / (answered / 1000)),
      answerP50ms: percentile(answers, 0.5).toFixed(1),
      answerP99ms: percentile(answers, 0.99).toFixed(1),
    },
    '>= 500/s',
    rate >= 500,
  );

  // wait=true round trip.
  const trips: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    await (await api('/api/v1/executions/bench/hook?wait=true', { method: 'POST' })).json();
    if (i >= 10) trips.push(performance.now() - t);
  }
  trips.sort((a, b) => a - b);
  const median = percentile(trips, 0.5);
  report(
    'h) POST execution ?wait=true round trip',
    { medianMs: median.toFixed(1), p99ms: percentile(trips, 0.99).toFixed(1) },
    'median < 30 ms',
    median < 30,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
