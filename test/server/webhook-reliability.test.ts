/**
 * Reliability of webhook-started executions across a crash: 1,000 calls, the server killed with SIGKILL
 * during the burst and started again on the same data folder. Every call answered 2xx has its execution,
 * which ends SUCCESS, and no task run succeeded twice (one SUCCESS attempt each).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'baton-webhook-crash-'));
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const FLOW = `id: crash
namespace: reliability
tasks:
  - id: first
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.body.n }}"
  - id: second
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.first.value }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: crash-key
`;

interface Execution {
  id: string;
  state: { current: string };
  taskRunList?: { taskId: string; attempts?: { state: { current: string } }[] }[];
}

it('every answered webhook call has one execution that ends SUCCESS once, across a SIGKILL', async () => {
  const first = await startServer({ dataDir });
  servers.push(first);
  const created = await first.request('/api/v1/flows', {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: FLOW,
  });
  expect(created.status).toBe(200);

  const answered = new Map<string, number>();
  let next = 0;
  let killed = false;
  const hook = `${first.url}/api/v1/executions/webhook/reliability/crash/crash-key`;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < 1000) {
        const n = next++;
        // The crash, in the middle of the burst: the process is gone at once, mid-request for some calls.
        if (n === 400 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
        const res = await fetch(hook, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ n }),
        }).catch(() => undefined);
        if (res?.ok) answered.set(((await res.json()) as { id: string }).id, n);
      }
    }),
  );
  await first.exited;
  expect(answered.size).toBeGreaterThan(300);

  const second = await startServer({ dataDir });
  servers.push(second);
  // Every answered call's execution ends; polled through the API (the engine finishes them on its own).
  const pending = new Set(answered.keys());
  const deadline = Date.now() + 60_000;
  const ended = new Map<string, Execution>();
  while (pending.size > 0 && Date.now() < deadline) {
    for (const id of [...pending].slice(0, 50)) {
      const res = await second.request(`/api/v1/executions/${id}`);
      expect(res.status, `execution ${id} of an answered call`).toBe(200);
      const e = (await res.json()) as Execution;
      if (['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'].includes(e.state.current)) {
        ended.set(id, e);
        pending.delete(id);
      }
    }
  }
  expect(pending.size).toBe(0);
  for (const [id, e] of ended) {
    expect(e.state.current, id).toBe('SUCCESS');
    expect(e.taskRunList?.map((t) => t.taskId)).toEqual(['first', 'second']);
    for (const tr of e.taskRunList ?? [])
      expect(tr.attempts?.filter((a) => a.state.current === 'SUCCESS').length, `${id} ${tr.taskId}`).toBe(1);
  }
}, 180_000);
