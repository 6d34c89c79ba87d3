/**
 * The executions API end to end against the built server: create with multipart inputs (a FILE input
 * read by a task) and `wait=true`, follow as server-sent events, files confined to their execution,
 * search, kill, delete, secrets masked, a viewer's visibility (the other operations: executions-operations).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiExecution, dataDirWithFlows, readEvents, waitForState } from '../helpers/api.ts';
import { ended, FLOWS, NS } from '../helpers/execution-flows.ts';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

const TOKEN = 'tok-9f8e7d6c5b4a';
const VIEWER = {
  name: 'watcher',
  password: 'watcher-password-1',
  bindings: [{ role: 'viewer' as const, namespace: NS }],
};

describe('executions API', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await dataDirWithFlows(FLOWS, [VIEWER]);
    server = await startServer({ dataDir, env: { BATON_SECRET_API_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = async (flowId: string, query = '', init: RequestInit & { json?: unknown } = {}) => {
    const res = await server.request(`/api/v1/executions/${NS}/${flowId}${query}`, {
      method: 'POST',
      ...init,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as ApiExecution;
  };

  it('creates an execution from multipart inputs with a file, waits for its end and answers it in Kestra shape', async () => {
    const form = new FormData();
    form.append('name', 'Ada');
    form.append('doc', new Blob(['file content ✓']), 'notes.txt');
    const e = await run('with_file', '?wait=true&labels=env:test&labels=owner:me', { body: form });
    expect(e.state.current).toBe('SUCCESS');
    expect(e.outputs).toEqual({ content: 'file content ✓' });
    expect(e.inputs.name).toBe('Ada');
    expect(String(e.inputs.doc)).toMatch(
      /^kestra:\/\/\/test\/exec\/with_file\/executions\/.+\/inputs\/doc\/notes\.txt$/,
    );
    expect(e.labels).toEqual(
      expect.arrayContaining([
        { key: 'env', value: 'test' },
        { key: 'owner', value: 'me' },
      ]),
    );
    expect(e.taskRunList.map((t) => [t.taskId, t.state.current])).toEqual([
      ['hello', 'SUCCESS'],
      ['content', 'SUCCESS'],
    ]);
    expect(e.taskRunList[0]!.attempts[0]!.state.current).toBe('SUCCESS');
    expect(e.state.histories.map((h) => h.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);
    expect(e.state.duration).toMatch(/^PT[\d.]+S$/);
    expect(e.originalId).toBe(e.id);

    // the uploaded file can be downloaded from this execution
    const file = await server.request(
      `/api/v1/executions/${e.id}/file?path=${encodeURIComponent(String(e.inputs.doc))}`,
    );
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('file content ✓');
    expect(file.headers.get('content-disposition')).toContain('notes.txt');
    const metas = await server.request(
      `/api/v1/executions/${e.id}/file/metas?path=${encodeURIComponent(String(e.inputs.doc))}`,
    );
    expect(await metas.json()).toEqual({ size: Buffer.byteLength('file content ✓') });
  });

  it('refuses bad inputs with 422 naming the input, and a FILE input given as a server path', async () => {
    const form = new FormData();
    form.append('doc', new Blob(['x']), 'x.txt');
    const missing = await server.request(`/api/v1/executions/${NS}/with_file`, {
      method: 'POST',
      body: form,
    });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { message: string }).message).toContain('`name`');
    const path = await server.request(`/api/v1/executions/${NS}/with_file`, {
      method: 'POST',
      json: { name: 'x', doc: { path: '/etc/passwd' } },
    });
    expect(path.status).toBe(422);
    expect(((await path.json()) as { message: string }).message).toContain('`doc`');
    const unknown = await server.request(`/api/v1/executions/${NS}/nope`, { method: 'POST', json: {} });
    expect(unknown.status).toBe(404);
    const system = await server.request(`/api/v1/executions/${NS}/two_steps?labels=system.readOnly:true`, {
      method: 'POST',
    });
    expect(system.status).toBe(400);
  });

  it('accepts a JSON body of inputs and answers the created execution without wait', async () => {
    const created = await run('with_file', '', { json: { name: 'Bob', doc: 'inline content' } });
    expect(['CREATED', 'QUEUED', 'RUNNING', 'SUCCESS']).toContain(created.state.current);
    const done = await waitForState(server, created.id, ended);
    expect(done.outputs).toEqual({ content: 'inline content' });
  });

  it('follows an execution as server-sent events until it ends', async () => {
    const created = await run('sleeper');
    const follow = await server.request(`/api/v1/executions/${created.id}/follow`);
    expect(follow.headers.get('content-type')).toContain('text/event-stream');
    const kill = async () => {
      await waitForState(server, created.id, (e) => e.taskRunList[0]?.state.current === 'RUNNING');
      const res = await server.request(`/api/v1/executions/${created.id}/kill`, { method: 'DELETE' });
      expect(res.status).toBe(202);
    };
    const [events] = await Promise.all([readEvents(follow), kill()]);
    expect(events[0]).toMatchObject({ id: 'start' });
    expect(JSON.parse(events[0]!.data)).toEqual({ id: created.id });
    const last = events.at(-1)!;
    expect(last.id).toBe('end');
    const final = JSON.parse(last.data) as ApiExecution;
    expect(final.state.current).toBe('KILLED');
    const states = events.slice(1).map((ev) => (JSON.parse(ev.data) as ApiExecution).state.current);
    expect(states).toContain('RUNNING');
    // killing an ended execution is a conflict
    const again = await server.request(`/api/v1/executions/${created.id}/kill`, { method: 'DELETE' });
    expect(again.status).toBe(409);
  });

  it('serves only files of the execution asked for', async () => {
    const a = await run('two_steps', '?wait=true');
    const b = await run('two_steps', '?wait=true');
    const uriA = String(a.taskRunList.find((t) => t.taskId === 'second')!.outputs!.uri);
    const own = await server.request(`/api/v1/executions/${a.id}/file?path=${encodeURIComponent(uriA)}`);
    expect(await own.text()).toBe(`written by ${a.id}`);
    const other = await server.request(`/api/v1/executions/${b.id}/file?path=${encodeURIComponent(uriA)}`);
    expect(other.status).toBe(422);
    const climbing = `kestra:///test/exec/two_steps/executions/${b.id}/../${a.id}/x`;
    const up = await server.request(`/api/v1/executions/${b.id}/file?path=${encodeURIComponent(climbing)}`);
    expect(up.status).toBe(400);
  });

  it('searches with filters and paging, and deletes an execution with its logs', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 3; i++)
      mine.push((await run('two_steps', `?wait=true&labels=batch:search${i % 2}`)).id);
    const page = async (query: string) => {
      const res = await server.request(`/api/v1/executions/search?${query}`);
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as { results: ApiExecution[]; total: number };
    };
    const labelled = await page('labels=batch:search0');
    expect(labelled.total).toBe(2);
    expect(labelled.results.map((e) => e.id).sort()).toEqual([mine[0], mine[2]].sort());
    const first = await page(`namespace=test&flowId=two_steps&labels=batch:search1&size=1&page=1`);
    expect(first).toMatchObject({ total: 1, results: [{ id: mine[1] }] });
    const byState = await page('namespace=test.exec&state=FAILED&state=KILLED');
    expect(byState.results.every((e) => ['FAILED', 'KILLED'].includes(e.state.current))).toBe(true);
    expect(byState.total).toBeGreaterThan(0);
    const paged = await page('flowId=two_steps&size=2&page=2');
    expect(paged.results.length).toBeLessThanOrEqual(2);
    expect(paged.total).toBeGreaterThanOrEqual(3);
    const future = await page(`startDate=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future).toEqual({ results: [], total: 0 });
    const other = await page('namespace=other');
    expect(other.total).toBe(0);

    const logs = await server.request(`/api/v1/logs/${mine[0]}`);
    expect(((await logs.json()) as unknown[]).length).toBeGreaterThan(0);
    const del = await server.request(`/api/v1/executions/${mine[0]}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await server.request(`/api/v1/executions/${mine[0]}`)).status).toBe(404);
    expect((await server.request(`/api/v1/logs/${mine[0]}`)).status).toBe(404);
  });

  it('masks what tasks obtained from secret() in executions, logs and follow streams', async () => {
    const e = await run('secretive', '?wait=true');
    expect(e.state.current).toBe('SUCCESS');
    const answers = [
      JSON.stringify(e),
      await (await server.request(`/api/v1/executions/${e.id}`)).text(),
      await (await server.request(`/api/v1/logs/${e.id}`)).text(),
      await (await server.request(`/api/v1/logs/${e.id}/download`)).text(),
      JSON.stringify(await readEvents(await server.request(`/api/v1/executions/${e.id}/follow`))),
      await (await server.request(`/api/v1/executions/search?flowId=secretive`)).text(),
    ];
    for (const text of answers) expect(text).not.toContain(TOKEN);
    expect(answers[1]).toContain('******');
    expect(answers[2]).toContain('using ******');
  });

  it('shows a viewer only the executions of its namespaces and refuses it the operations', async () => {
    const mine = await run('two_steps', '?wait=true');
    const res = await server.request('/api/v1/executions/other.team/other?wait=true', { method: 'POST' });
    const theirs = (await res.json()) as ApiExecution;
    const asViewer = { authorization: basic(VIEWER.name, VIEWER.password) };
    const get = (path: string, init: RequestInit = {}) =>
      server.request(path, { ...init, headers: asViewer });
    expect((await get(`/api/v1/executions/${mine.id}`)).status).toBe(200);
    expect((await get(`/api/v1/executions/${theirs.id}`)).status).toBe(404);
    expect((await get(`/api/v1/logs/${theirs.id}`)).status).toBe(404);
    const search = (await (await get('/api/v1/executions/search?size=1000')).json()) as {
      results: ApiExecution[];
      total: number;
    };
    expect(search.total).toBeGreaterThan(0);
    expect(search.results.every((e) => e.namespace === NS)).toBe(true);
    const none = (await (await get('/api/v1/executions/search?namespace=other')).json()) as { total: number };
    expect(none.total).toBe(0);
    expect((await get(`/api/v1/executions/${mine.id}/replay`, { method: 'POST' })).status).toBe(403);
    expect((await get(`/api/v1/executions/${NS}/two_steps`, { method: 'POST' })).status).toBe(403);
    expect((await get(`/api/v1/executions/${mine.id}`, { method: 'DELETE' })).status).toBe(403);
  });
});

describe('follow streams at server stop', () => {
  it('end when the server stops, which then exits 0 without waiting for its followers', async () => {
    const dataDir = await dataDirWithFlows([FLOWS[2]!]);
    const server = await startServer({ dataDir, args: ['--grace', '0'] });
    try {
      const res = await server.request(`/api/v1/executions/${NS}/sleeper`, { method: 'POST' });
      const { id } = (await res.json()) as ApiExecution;
      await waitForState(server, id, (e) => e.taskRunList[0]?.state.current === 'RUNNING');
      const follow = await server.request(`/api/v1/executions/${id}/follow`);
      const logs = await server.request(`/api/v1/logs/${id}/follow`);
      const ended = (r: Response) => readEvents(r).then((events) => ({ events, at: Date.now() }));
      const started = Date.now();
      const [execution, log, code] = await Promise.all([ended(follow), ended(logs), server.stop()]);
      expect(code).toBe(0);
      expect(execution.events[0]!.id).toBe('start');
      expect(log.events[0]!.id).toBe('start');
      // The streams were ended at once, not cut after the API's 2 s wait for requests in flight.
      expect(Math.max(execution.at, log.at) - started).toBeLessThan(1_500);
    } finally {
      await server.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
