/**
 * SIGTERM with a task running: the server takes no new work, lets the task finish within the grace
 * period, records its result, and exits 0; the task ran once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-grace-'));
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.dispose();
  rmSync(dir, { recursive: true, force: true });
});

it('lets a running task finish within the grace period, then exits 0', async () => {
  const marker = join(dir, 'ran.txt');
  const server = await startServer({ dataDir: join(dir, 'data'), args: ['--grace', '20'] });
  servers.push(server);
  const flow = `id: slow
namespace: grace
tasks:
  - id: work
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - sleep 1.5
      - echo ran >> ${marker}
`;
  expect(
    (
      await server.request('/api/v1/flows', {
        method: 'POST',
        headers: { 'content-type': 'application/x-yaml' },
        body: flow,
      })
    ).status,
  ).toBe(200);
  const started = await server.request('/api/v1/executions/grace/slow', { method: 'POST' });
  expect(started.status).toBe(200);
  const { id } = (await started.json()) as { id: string };
  // Wait until the task runs, then ask the server to stop.
  for (;;) {
    const e = (await (await server.request(`/api/v1/executions/${id}`)).json()) as {
      taskRunList?: { state: { current: string } }[];
    };
    if (e.taskRunList?.[0]?.state.current === 'RUNNING') break;
  }
  const stopAt = Date.now();
  expect(await server.stop()).toBe(0);
  expect(Date.now() - stopAt).toBeLessThan(15_000);
  expect(readFileSync(marker, 'utf8')).toBe('ran\n');
  expect(server.output()).not.toContain('tasks still running after the grace period');

  // The result was recorded before the exit: the next start finds the execution ended, the task not re-run.
  const again = await startServer({ dataDir: join(dir, 'data') });
  servers.push(again);
  const e = (await (await again.request(`/api/v1/executions/${id}`)).json()) as {
    state: { current: string };
    taskRunList?: { attempts?: unknown[] }[];
  };
  expect(e.state.current).toBe('SUCCESS');
  expect(e.taskRunList?.[0]?.attempts).toHaveLength(1);
  expect(readFileSync(marker, 'utf8')).toBe('ran\n');
});
