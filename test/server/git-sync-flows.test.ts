/**
 * git.SyncFlows through `baton server` (the built command): flows of a real Git repository (a bare
 * repository made in the test) are deployed to a namespace and its child namespaces, updated, deleted
 * when gone from Git (`delete: true`); `dryRun` computes the same plan and changes nothing; an invalid
 * flow file fails the sync with its path, line and property, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiExecution, waitForState } from '../helpers/api.ts';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let repo: TestRepo;

const flowFile = (id: string, message: string) =>
  `id: ${id}\nnamespace: dev\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;

const syncFlow = (id: string, dryRun: boolean) => `id: ${id}
namespace: ops
tasks:
  - id: sync
    type: io.kestra.plugin.git.SyncFlows
    url: ${repo.url}
    branch: main
    gitDirectory: flows
    targetNamespace: prod
    includeChildNamespaces: true
    delete: true
    dryRun: ${dryRun}
  - id: plan
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.sync.flows) }}"
`;

const post = async (path: string, body: string) => {
  const res = await server.request(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-yaml' },
  });
  expect(res.status, await res.clone().text()).toBe(200);
};

const runSync = async (flowId: string): Promise<ApiExecution> => {
  const res = await server.request(`/api/v1/executions/ops/${flowId}`, { method: 'POST' });
  expect(res.status, await res.clone().text()).toBe(200);
  const created = (await res.json()) as ApiExecution;
  return waitForState(server, created.id, (e) => ['SUCCESS', 'FAILED', 'WARNING'].includes(e.state.current));
};

/** The plan rows, one per flow, sorted. */
const planOf = (e: ApiExecution): string[] => {
  const format = String(e.taskRunList.find((t) => t.taskId === 'plan')?.outputs?.value ?? '');
  return format
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const r = JSON.parse(line) as Record<string, unknown>;
      return `${r.syncState} ${r.namespace}.${r.flowId}@${r.revision}${r.gitPath ? ` ${r.gitPath}` : ''}`;
    })
    .sort();
};

/** `namespace`: `id@revision` of its live flows, sorted. */
const flowsIn = async (namespace: string): Promise<string[]> => {
  const res = await server.request(`/api/v1/flows/${namespace}`);
  const list = (await res.json()) as { id: string; revision: number }[];
  return list.map((f) => `${f.id}@${f.revision}`).sort();
};

const logsOf = async (id: string): Promise<string> => {
  const res = await server.request(`/api/v1/logs/${id}`);
  return ((await res.json()) as { message: string }[]).map((l) => l.message).join('\n');
};

beforeAll(async () => {
  repo = createTestRepo();
  repo.commit({
    'flows/a.yml': flowFile('a', 'first'),
    'flows/b.yaml': flowFile('b', 'first'),
    'flows/team/c.yml': flowFile('c', 'first'),
    'README.md': 'not a flow',
  });
  server = await startServer();
  await post('/api/v1/flows', syncFlow('sync_dry', true));
  await post('/api/v1/flows', syncFlow('sync', false));
  // A flow of the target namespace that Git does not have: deleted by the sync (not by the dry run).
  await post('/api/v1/flows', flowFile('old', 'legacy').replace('namespace: dev', 'namespace: prod'));
}, 60_000);
afterAll(async () => {
  await server?.dispose();
  repo?.dispose();
});

describe('git.SyncFlows', () => {
  it('dryRun computes the plan and changes nothing', async () => {
    const e = await runSync('sync_dry');
    expect(e.state.current, await logsOf(e.id)).toBe('SUCCESS');
    expect(planOf(e)).toEqual([
      'ADDED prod.a@1 flows/a.yml',
      'ADDED prod.b@1 flows/b.yaml',
      'ADDED prod.team.c@1 flows/team/c.yml',
      'DELETED prod.old@1',
    ]);
    expect(await flowsIn('prod')).toEqual(['old@1']);
    expect(await flowsIn('prod.team')).toEqual([]);
  });

  it('adds the flows of Git (namespace rewritten, sub-folders as child namespaces) and deletes the others', async () => {
    const e = await runSync('sync');
    expect(e.state.current, await logsOf(e.id)).toBe('SUCCESS');
    expect(await flowsIn('prod')).toEqual(['a@1', 'b@1']);
    expect(await flowsIn('prod.team')).toEqual(['c@1']);
    const source = await (await server.request('/api/v1/flows/prod/a?source=true')).json();
    expect((source as { source: string }).source).toContain('namespace: prod\n');
    // The synced flow runs.
    const run = await server.request('/api/v1/executions/prod.team/c', { method: 'POST' });
    const created = (await run.json()) as ApiExecution;
    const ended = await waitForState(server, created.id, (x) => x.state.current === 'SUCCESS');
    expect(await logsOf(ended.id)).toContain('first');
  });

  it('updates what changed in Git, leaves the rest unchanged, deletes what Git removed', async () => {
    repo.commit({ 'flows/b.yaml': flowFile('b', 'second'), 'flows/team/c.yml': null });
    const e = await runSync('sync');
    expect(e.state.current, await logsOf(e.id)).toBe('SUCCESS');
    expect(planOf(e)).toEqual([
      'DELETED prod.team.c@1',
      'UNCHANGED prod.a@1 flows/a.yml',
      'UPDATED prod.b@2 flows/b.yaml',
    ]);
    expect(await flowsIn('prod')).toEqual(['a@1', 'b@2']);
    expect(await flowsIn('prod.team')).toEqual([]);
  });

  it('an invalid flow file fails the sync with its file, line and property, and changes nothing', async () => {
    repo.commit({
      'flows/a.yml': flowFile('a', 'third'),
      'flows/bad.yml':
        'id: bad\nnamespace: dev\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    mesage: typo\n',
    });
    const e = await runSync('sync');
    expect(e.state.current).toBe('FAILED');
    const logs = await logsOf(e.id);
    expect(logs).toContain('nothing was synced');
    expect(logs).toMatch(/flows\/bad\.yml:6:\d+: tasks\[0\]/);
    expect(await flowsIn('prod')).toEqual(['a@1', 'b@2']);
  });
});
