/**
 * The flows API end to end, with Kestra-style requests against the built server: create from YAML, get
 * with its source, updates making a revision only on change, search paging, validation errors with
 * line and field, namespace replace with delete, revisions and their diff, disable then execution
 * refused, and lists filtered to the namespaces a user may view.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowDisabledError } from '../../src/executor/create.ts';
import { openEmbedded } from '../../src/runtime/embedded.ts';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

const flow = (namespace: string, id: string, extra = '', message = 'hello') =>
  `id: ${id}\nnamespace: ${namespace}\n${extra}tasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;

describe('flows API', () => {
  let server: TestServer;
  const yaml = (path: string, method: string, body: string, headers: Record<string, string> = {}) =>
    server.request(path, { method, body, headers: { 'content-type': 'application/x-yaml', ...headers } });
  const json = async <T = Record<string, unknown>>(r: Response | Promise<Response>): Promise<T> =>
    (await (await r).json()) as T;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('creates a flow from YAML and answers Kestra’s flow JSON; a second create is 409', async () => {
    const source = flow('company.team', 'hello', 'labels:\n  env: prod\n');
    const created = await yaml('/api/v1/flows', 'POST', source);
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({
      id: 'hello',
      namespace: 'company.team',
      revision: 1,
      disabled: false,
      deleted: false,
      labels: [{ key: 'env', value: 'prod' }],
      tasks: [{ id: 'log', type: 'io.kestra.plugin.core.log.Log', message: 'hello' }],
      source,
    });
    const again = await yaml('/api/v1/flows', 'POST', source);
    expect(again.status).toBe(409);

    const withSource = await json(server.request('/api/v1/flows/company.team/hello?source=true'));
    expect(withSource.source).toBe(source);
    const without = await json(server.request('/api/v1/flows/company.team/hello'));
    expect(without).not.toHaveProperty('source');
    expect(without.revision).toBe(1);
    // Kestra 1.x's tenant prefix answers the same.
    expect((await server.request('/api/v1/main/flows/company.team/hello')).status).toBe(200);
    expect((await server.request('/api/v1/flows/company.team/nope')).status).toBe(404);
  });

  it('refuses an invalid flow with 422 naming the line and the field', async () => {
    const r = await yaml(
      '/api/v1/flows',
      'POST',
      'id: broken\nnamespace: company.team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Lg\n',
    );
    expect(r.status).toBe(422);
    const body = await json<{ message: string; details: { errors: unknown[] } }>(r);
    expect(body.message).toContain('line 5, tasks[0].type');
    expect(body.details.errors).toEqual([expect.objectContaining({ line: 5, path: 'tasks[0].type' })]);
    expect((await server.request('/api/v1/flows/company.team/broken')).status).toBe(404);
  });

  it('updates make a new revision only when the source changed; the body must be the path’s flow', async () => {
    const v1 = flow('upd', 'f');
    expect((await yaml('/api/v1/flows', 'POST', v1)).status).toBe(200);
    const same = await json(yaml('/api/v1/flows/upd/f', 'PUT', v1));
    expect(same.revision).toBe(1);
    const v2 = flow('upd', 'f', '', 'changed');
    const changed = await json(yaml('/api/v1/flows/upd/f', 'PUT', v2));
    expect(changed.revision).toBe(2);
    expect(changed.source).toBe(v2);

    const renamed = await yaml('/api/v1/flows/upd/f', 'PUT', flow('upd', 'other'));
    expect(renamed.status).toBe(422);
    expect((await yaml('/api/v1/flows/upd/missing', 'PUT', flow('upd', 'missing'))).status).toBe(404);

    const revisions = await json<{ revision: number; source: string }[]>(
      server.request('/api/v1/flows/upd/f/revisions'),
    );
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    const first = await json(server.request('/api/v1/flows/upd/f?revision=1&source=true'));
    expect(first.source).toBe(v1);

    const diff = await server.request('/api/v1/flows/upd/f/revisions/diff?from=1&to=2');
    expect(diff.status).toBe(200);
    expect(diff.headers.get('content-type')).toContain('text/plain');
    const text = await diff.text();
    expect(text).toContain('-    message: hello');
    expect(text).toContain('+    message: changed');
    expect((await server.request('/api/v1/flows/upd/f/revisions/diff?from=1&to=9')).status).toBe(404);
  });

  it('deletes softly: the flow is gone from reads and lists, its revisions stay readable', async () => {
    expect((await yaml('/api/v1/flows', 'POST', flow('del', 'gone'))).status).toBe(200);
    const r = await server.request('/api/v1/flows/del/gone', { method: 'DELETE' });
    expect(r.status).toBe(204);
    expect((await server.request('/api/v1/flows/del/gone')).status).toBe(404);
    expect(await json(server.request('/api/v1/flows/del'))).toEqual([]);
    const deleted = await json(server.request('/api/v1/flows/del/gone?revision=1&allowDeleted=true'));
    expect(deleted.deleted).toBe(true);
    // Created again after a delete: a new revision.
    expect((await json(yaml('/api/v1/flows', 'POST', flow('del', 'gone')))).revision).toBe(2);
  });

  it('searches with Kestra’s paging, sort and filters (namespace with its children, q, labels)', async () => {
    for (const [ns, id] of [
      ['paging', 'a1'],
      ['paging', 'a2'],
      ['paging.sub', 'b1'],
      ['paging.sub', 'b2'],
      ['pagingother', 'c1'],
    ] as const)
      expect(
        (await yaml('/api/v1/flows', 'POST', flow(ns, id, id === 'b2' ? 'labels:\n  team: x\n' : ''))).status,
      ).toBe(200);
    type Page = { results: { namespace: string; id: string }[]; total: number };
    const ids = (p: Page) => p.results.map((r) => `${r.namespace}.${r.id}`);
    const p1 = await json<Page>(server.request('/api/v1/flows/search?namespace=paging&size=3&page=1'));
    expect(p1.total).toBe(4);
    expect(ids(p1)).toEqual(['paging.a1', 'paging.a2', 'paging.sub.b1']);
    const p2 = await json<Page>(server.request('/api/v1/flows/search?namespace=paging&size=3&page=2'));
    expect(ids(p2)).toEqual(['paging.sub.b2']);
    const desc = await json<Page>(
      server.request('/api/v1/flows/search?namespace=paging&size=2&sort=id:desc'),
    );
    expect(ids(desc)).toEqual(['paging.sub.b2', 'paging.sub.b1']);
    const q = await json<Page>(server.request('/api/v1/flows/search?q=c1'));
    expect(ids(q)).toEqual(['pagingother.c1']);
    const labels = await json<Page>(server.request('/api/v1/flows/search?labels=team:x'));
    expect(ids(labels)).toEqual(['paging.sub.b2']);
    const filters = await json<Page>(
      server.request('/api/v1/flows/search?filters[namespace][EQUALS]=paging.sub&size=10'),
    );
    expect(ids(filters)).toEqual(['paging.sub.b1', 'paging.sub.b2']);
    expect((await server.request('/api/v1/flows/search?page=0')).status).toBe(400);
    expect((await server.request('/api/v1/flows/search?sort=nope:asc')).status).toBe(400);
    const list = await json<{ id: string }[]>(server.request('/api/v1/flows/paging'));
    expect(list.map((f) => f.id)).toEqual(['a1', 'a2']);
  });

  it('validates several documents and answers Kestra’s per-flow list with line and field', async () => {
    const body = `${flow('val', 'good')}---\nid: bad\nnamespace: val\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n`;
    const r = await yaml('/api/v1/flows/validate', 'POST', body);
    expect(r.status).toBe(200);
    const answer = await json<Record<string, unknown>[]>(r);
    expect(answer).toHaveLength(2);
    expect(answer[0]).toMatchObject({ index: 0, flow: 'good', namespace: 'val', outdated: false });
    expect(answer[0]).not.toHaveProperty('constraints');
    expect(answer[1]).toMatchObject({ index: 1, flow: 'bad', namespace: 'val' });
    // The second document starts on line 8 of the body; its task (line 11) lacks `message`.
    expect(answer[1]?.constraints).toMatch(/^line 11, tasks\[0\]/);
    expect(answer[1]?.errors).toEqual([
      expect.objectContaining({ line: 11, path: expect.stringContaining('tasks[0]') }),
    ]);
    // Nothing was saved.
    expect((await server.request('/api/v1/flows/val/good')).status).toBe(404);
  });

  it('replaces a namespace’s flows from a multi-document body, deleting the absent ones; an invalid body changes nothing', async () => {
    for (const id of ['keep', 'drop', 'edit']) await yaml('/api/v1/flows', 'POST', flow('repl', id));
    const body = [flow('repl', 'keep'), flow('repl', 'edit', '', 'edited'), flow('repl', 'new')].join(
      '---\n',
    );

    const invalid = await yaml(
      '/api/v1/flows/repl',
      'POST',
      `${body}---\nid: broken\nnamespace: repl\ntasks: []\n`,
    );
    expect(invalid.status).toBe(422);
    const wrongNs = await yaml('/api/v1/flows/repl', 'POST', `${body}---\n${flow('elsewhere', 'x')}`);
    expect(wrongNs.status).toBe(422);
    expect((await json<{ message: string }>(wrongNs)).message).toContain('namespace must be repl');
    const before = await json<{ id: string; revision: number }[]>(server.request('/api/v1/flows/repl'));
    expect(before.map((f) => `${f.id}@${f.revision}`)).toEqual(['drop@1', 'edit@1', 'keep@1']);

    const r = await yaml('/api/v1/flows/repl', 'POST', body);
    expect(r.status).toBe(200);
    const changed = await json<{ id: string; deleted: boolean }[]>(r);
    expect(changed.find((f) => f.id === 'drop')?.deleted).toBe(true);
    const after = await json<{ id: string; revision: number }[]>(server.request('/api/v1/flows/repl'));
    expect(after.map((f) => `${f.id}@${f.revision}`)).toEqual(['edit@2', 'keep@1', 'new@1']);

    // delete=false keeps the flows absent from the body.
    await yaml('/api/v1/flows/repl?delete=false', 'POST', flow('repl', 'other'));
    const kept = await json<{ id: string }[]>(server.request('/api/v1/flows/repl'));
    expect(kept.map((f) => f.id)).toEqual(['edit', 'keep', 'new', 'other']);
  });

  it('audits every change', async () => {
    const store = await openSqliteStore({ path: join(server.dataDir, 'baton.db') });
    try {
      const actions = (await store.queryAudit({ target: 'upd.f' })).map((e) => `${e.actor}:${e.action}`);
      expect(actions.sort()).toEqual(['admin:flow.create', 'admin:flow.update']);
      expect((await store.queryAudit({ target: 'repl.drop' })).map((e) => e.action)).toContain('flow.delete');
    } finally {
      await store.close();
    }
  });
});

describe('flows API: disabling and access', () => {
  it('disables flows as a new revision with `disabled: true` in the source; a disabled flow cannot be executed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-flows-disable-'));
    try {
      const server = await startServer({ dataDir });
      const post = (path: string, body: string, type = 'application/x-yaml') =>
        server.request(path, { method: 'POST', body, headers: { 'content-type': type } });
      await post('/api/v1/flows', flow('dis', 'a'));
      await post('/api/v1/flows', flow('dis', 'b'));
      const ids = JSON.stringify([{ namespace: 'dis', id: 'a' }]);
      expect(await (await post('/api/v1/flows/disable/by-ids', ids, 'application/json')).json()).toEqual({
        count: 1,
      });
      // Already disabled: nothing to do.
      expect(await (await post('/api/v1/flows/disable/by-ids', ids, 'application/json')).json()).toEqual({
        count: 0,
      });
      const a = (await (await server.request('/api/v1/flows/dis/a?source=true')).json()) as Record<
        string,
        unknown
      >;
      expect(a).toMatchObject({ revision: 2, disabled: true });
      expect(a.source).toMatch(/\ndisabled: true\n$/);
      // By query: every flow of the namespace; `a` is already disabled.
      expect(await (await post('/api/v1/flows/disable/by-query?namespace=dis', '')).json()).toEqual({
        count: 1,
      });
      expect(await (await post('/api/v1/flows/enable/by-query?namespace=dis', '')).json()).toEqual({
        count: 2,
      });
      expect(await (await post('/api/v1/flows/disable/by-ids', ids, 'application/json')).json()).toEqual({
        count: 1,
      });
      const missing = await post(
        '/api/v1/flows/disable/by-ids',
        JSON.stringify([{ namespace: 'dis', id: 'x' }]),
        'application/json',
      );
      expect(missing.status).toBe(404);
      await server.stop();

      // The engine of the same data folder refuses to execute it (the executions API does the same).
      const engine = await openEmbedded({ dataDir, encryptionKey: Buffer.alloc(32, 7) });
      try {
        const disabled = await engine.flows.get('dis', 'a');
        expect(disabled.disabled).toBe(true);
        await expect(
          engine.executor.createExecution({ flow: disabled, revision: disabled.revision ?? 0, inputs: {} }),
        ).rejects.toBeInstanceOf(FlowDisabledError);
        expect((await engine.flows.get('dis', 'b')).disabled).toBe(false);
      } finally {
        await engine.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('lets a viewer read only the namespaces it may view and change nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-flows-access-'));
    const store = await openSqliteStore({ path: join(dataDir, 'baton.db') });
    const now = new Date().toISOString();
    await store.putUser({
      name: 'viewer',
      passwordHash: await hashPassword('viewer-password'),
      bindings: [{ role: 'viewer', namespace: 'team.a' }],
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    await store.close();
    const server = await startServer({ dataDir });
    try {
      const asAdmin = (body: string) =>
        server.request('/api/v1/flows', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-yaml' },
        });
      await asAdmin(flow('team.a', 'visible'));
      await asAdmin(flow('team.b', 'hidden'));
      const viewer = { authorization: basic('viewer', 'viewer-password') };
      const search = (await (await server.request('/api/v1/flows/search', { headers: viewer })).json()) as {
        results: { id: string }[];
        total: number;
      };
      expect(search.results.map((f) => f.id)).toEqual(['visible']);
      expect(search.total).toBe(1);
      expect((await server.request('/api/v1/flows/team.a/visible', { headers: viewer })).status).toBe(200);
      expect((await server.request('/api/v1/flows/team.b/hidden', { headers: viewer })).status).toBe(403);
      const create = await server.request('/api/v1/flows', {
        method: 'POST',
        body: flow('team.a', 'mine'),
        headers: { ...viewer, 'content-type': 'application/x-yaml' },
      });
      expect(create.status).toBe(403);
      const disable = await server.request('/api/v1/flows/disable/by-ids', {
        method: 'POST',
        body: JSON.stringify([{ namespace: 'team.a', id: 'visible' }]),
        headers: { ...viewer, 'content-type': 'application/json' },
      });
      expect(disable.status).toBe(403);
      const namespaces = (await (
        await server.request('/api/v1/namespaces/search', { headers: viewer })
      ).json()) as {
        results: { id: string }[];
      };
      expect(namespaces.results.map((n) => n.id)).toEqual(['team.a']);
    } finally {
      await server.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
