/**
 * `--roles`: the parts of the server run in separate processes on one data folder. An API-only server
 * takes an execution and leaves it CREATED; a second process with the executor and worker roles (no
 * HTTP) runs it to its end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'baton-roles-'));
const main = new URL('../../bin/baton.js', import.meta.url).pathname;
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const FLOW =
  'id: split\nnamespace: roles\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n    format: done\n';

it('an API-only server leaves executions to a process running the executor and worker roles', async () => {
  const api = await startServer({ dataDir, args: ['--roles', 'api'] });
  servers.push(api);
  const created = await api.request('/api/v1/flows', {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: FLOW,
  });
  expect(created.status).toBe(200);
  const started = await api.request('/api/v1/executions/roles/split', { method: 'POST' });
  const { id } = (await started.json()) as { id: string };
  const get = async () =>
    ((await (await api.request(`/api/v1/executions/${id}`)).json()) as { state: { current: string } }).state
      .current;
  // Nothing in the API process runs it: a few round trips later it is still waiting.
  for (let i = 0; i < 20; i++) expect(await get()).toBe('CREATED');

  const engine = spawn(process.execPath, [main, 'server', '--data', dataDir, '--roles', 'executor,worker'], {
    stdio: 'ignore',
    env: {
      ...process.env,
      BATON_ADMIN_USER: 'admin',
      BATON_ADMIN_PASSWORD: 'x',
      BATON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    },
  });
  const exited = new Promise<number | null>((resolve) => engine.once('exit', resolve));
  try {
    let state = await get();
    const deadline = Date.now() + 20_000;
    while (state !== 'SUCCESS' && Date.now() < deadline) state = await get();
    expect(state).toBe('SUCCESS');
  } finally {
    engine.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});
