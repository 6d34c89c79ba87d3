/**
 * Bulk kill and restart against the built server, by ids and by query: each execution is handled on its
 * own (a finished, unknown or forbidden one is reported and the others go on), answered as `{ count }`;
 * the query form acts only on the executions the action applies to. Namespace files: upload, list a
 * directory, read, delete (a directory too), and a bad path refused.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiExecution, dataDirWithFlows, waitForState } from '../helpers/api.ts';
import { ended, FLOWS, NS } from '../helpers/execution-flows.ts';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

const VIEWER = {
  name: 'vera',
  password: 'viewer-password-1',
  bindings: [{ role: 'viewer' as const, namespace: '*' }],
};

describe('bulk execution actions and namespace files API', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await dataDirWithFlows(FLOWS, [VIEWER]);
    server = await startServer({ dataDir });
  });
  afterAll(async () => {
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = async (flowId: string, query = '', labels = 'batch:one') => {
    const res = await server.request(`/api/v1/executions/${NS}/${flowId}?labels=${labels}${query}`, {
      method: 'POST',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as ApiExecution;
  };
  const running = (e: ApiExecution) => e.state.current === 'RUNNING';

  it('kills by ids: running ones are killed, a finished and an unknown one are reported', async () => {
    const a = await run('sleeper');
    const b = await run('sleeper');
    const done = await run('failing', '&wait=true');
    await waitForState(server, a.id, running);
    await waitForState(server, b.id, running);
    const res = await server.request('/api/v1/executions/kill/by-ids', {
      method: 'DELETE',
      json: [a.id, done.id, 'no-such-execution', b.id],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { count: number; errors: { id: string; message: string }[] };
    expect(body.count).toBe(2);
    expect(body.errors.map((e) => e.id).sort()).toEqual([done.id, 'no-such-execution'].sort());
    expect(body.errors.find((e) => e.id === done.id)!.message).toContain("can't kill");
    expect((await waitForState(server, a.id, ended)).state.current).toBe('KILLED');
    expect((await waitForState(server, b.id, ended)).state.current).toBe('KILLED');
  });

  it('restarts by ids a failed execution and reports a successful one', async () => {
    const failed = await run('failing', '&wait=true');
    const ok = await run('two_steps', '&wait=true');
    const res = await server.request('/api/v1/executions/restart/by-ids', {
      method: 'POST',
      json: [failed.id, ok.id],
    });
    const body = (await res.json()) as { count: number; errors: { id: string }[] };
    expect(body.count).toBe(1);
    expect(body.errors.map((e) => e.id)).toEqual([ok.id]);
    const again = await waitForState(
      server,
      failed.id,
      (e) => ended(e) && e.taskRunList[0]!.attempts.length === 2,
    );
    expect(again.state.histories.map((h) => h.state)).toContain('RESTARTED');
  });

  it('kills and restarts by query: only the matching executions the action applies to', async () => {
    const s1 = await run('sleeper', '', 'batch:query');
    const s2 = await run('sleeper', '', 'batch:query');
    const other = await run('sleeper', '', 'batch:other');
    for (const e of [s1, s2, other]) await waitForState(server, e.id, running);
    const kill = await server.request(`/api/v1/executions/kill/by-query?namespace=${NS}&labels=batch:query`, {
      method: 'DELETE',
    });
    expect(await kill.json()).toEqual({ count: 2 });
    for (const e of [s1, s2]) expect((await waitForState(server, e.id, ended)).state.current).toBe('KILLED');
    const still = (await (await server.request(`/api/v1/executions/${other.id}`)).json()) as ApiExecution;
    expect(still.state.current).toBe('RUNNING');

    // The two killed ones can be restarted; the still running one is not concerned.
    const restart = await server.request(
      `/api/v1/executions/restart/by-query?flowId=sleeper&state=KILLED&labels=batch:query`,
      { method: 'POST' },
    );
    expect(await restart.json()).toEqual({ count: 2 });
    await server.request(`/api/v1/executions/kill/by-query?flowId=sleeper`, { method: 'DELETE' });
    for (const e of [s1, s2, other]) await waitForState(server, e.id, ended);
  });

  it('refuses a viewer: 403 before anything is done', async () => {
    const res = await server.request('/api/v1/executions/kill/by-ids', {
      method: 'DELETE',
      json: ['x'],
      headers: { authorization: basic(VIEWER.name, VIEWER.password) },
    });
    expect(res.status).toBe(403);
  });

  it('uploads, lists, reads and deletes namespace files', async () => {
    const upload = async (path: string, text: string) => {
      const form = new FormData();
      form.append('fileContent', new Blob([text]), 'x');
      const res = await server.request(`/api/v1/namespaces/${NS}/files?path=${encodeURIComponent(path)}`, {
        method: 'POST',
        body: form,
      });
      expect(res.status, await res.clone().text()).toBe(204);
    };
    await upload('/scripts/main.py', 'print("hi")');
    await upload('/readme.txt', 'hello');
    const root = await server.request(`/api/v1/namespaces/${NS}/files/directory`);
    expect(await root.json()).toEqual([
      { fileName: 'readme.txt', type: 'File', size: 5 },
      { fileName: 'scripts', type: 'Directory', size: 0 },
    ]);
    const sub = await server.request(`/api/v1/namespaces/${NS}/files/directory?path=/scripts`);
    expect(((await sub.json()) as { fileName: string }[]).map((f) => f.fileName)).toEqual(['main.py']);
    const read = await server.request(`/api/v1/namespaces/${NS}/files?path=/scripts/main.py`);
    expect(await read.text()).toBe('print("hi")');
    const bad = await server.request(`/api/v1/namespaces/${NS}/files?path=/../etc/passwd`);
    expect([404, 422]).toContain(bad.status);
    const del = await server.request(`/api/v1/namespaces/${NS}/files?path=/scripts`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const after = await server.request(`/api/v1/namespaces/${NS}/files/directory`);
    expect(((await after.json()) as { fileName: string }[]).map((f) => f.fileName)).toEqual(['readme.txt']);
    expect((await server.request(`/api/v1/namespaces/${NS}/files?path=/scripts/main.py`)).status).toBe(404);
  });
});
