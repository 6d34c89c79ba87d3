/**
 * `baton deploy DIR --server URL` against the built server: creates, then updates only what changed;
 * a folder with one invalid file changes nothing; `--delete` removes the server's flows of the deployed
 * namespaces that the folder no longer has; `--namespace` confines the deploy.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/server/auth/authenticate.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ADMIN, startServer, type TestServer } from '../helpers/server.ts';

const bin = new URL('../../bin/baton.js', import.meta.url).pathname;

const flow = (namespace: string, id: string, message = 'hello') =>
  `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: ${message}\n`;

describe('baton deploy', () => {
  let server: TestServer;
  let dir: string;

  const deploy = (args: string[], env: Record<string, string | undefined> = {}) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'deploy', ...args], {
        env: {
          ...process.env,
          BATON_SERVER: server.url,
          BATON_SERVER_USER: ADMIN.user,
          BATON_SERVER_PASSWORD: ADMIN.password,
          BATON_SERVER_TOKEN: undefined,
          ...env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const revisions = async (namespace: string) => {
    const flows = (await (await server.request(`/api/v1/flows/${namespace}`)).json()) as {
      id: string;
      revision: number;
    }[];
    return flows.map((f) => `${f.id}@${f.revision}`);
  };

  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'baton-deploy-'));
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'one.yaml'), flow('dep', 'one'));
    writeFileSync(join(dir, 'team', 'two.yml'), flow('dep', 'two'));
  });
  afterAll(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the folder’s flows, then changes only what changed', async () => {
    const first = await deploy([dir]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('2 created, 0 updated, 0 unchanged');
    expect(await revisions('dep')).toEqual(['one@1', 'two@1']);

    writeFileSync(join(dir, 'one.yaml'), flow('dep', 'one', 'changed'));
    const second = await deploy([dir, '--server', server.url], { BATON_SERVER: undefined });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('updated dep.one (revision 2)');
    expect(second.stdout).toContain('0 created, 1 updated, 1 unchanged');
    expect(await revisions('dep')).toEqual(['one@2', 'two@1']);
  });

  it('changes nothing when one file is invalid, and says which file, line and field', async () => {
    writeFileSync(join(dir, 'one.yaml'), flow('dep', 'one', 'changed again'));
    writeFileSync(join(dir, 'bad.yaml'), flow('dep', 'bad').replace('core.log.Log', 'core.log.Nope'));
    const r = await deploy([dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.yaml:5:');
    expect(r.stderr).toContain('tasks[0].type');
    expect(r.stderr).toContain('nothing was deployed');
    expect(await revisions('dep')).toEqual(['one@2', 'two@1']);
    unlinkSync(join(dir, 'bad.yaml'));
  });

  it('with --delete, removes the server’s flows of the deployed namespaces that the folder no longer has', async () => {
    // A flow only on the server, in a deployed namespace, and one in another namespace.
    for (const source of [flow('dep', 'stray'), flow('elsewhere', 'kept')])
      await server.request('/api/v1/flows', {
        method: 'POST',
        body: source,
        headers: { 'content-type': 'application/x-yaml' },
      });
    unlinkSync(join(dir, 'team', 'two.yml'));
    const r = await deploy([dir, '--delete']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('deleted dep.stray');
    expect(r.stdout).toContain('deleted dep.two');
    expect(await revisions('dep')).toEqual(['one@3']);
    expect(await revisions('elsewhere')).toEqual(['kept@1']);
  });

  it('with --namespace, refuses flows outside it and deletes within it and below', async () => {
    const outside = await deploy([dir, '--namespace', 'other']);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain('is not in namespace other');

    const scoped = mkdtempSync(join(tmpdir(), 'baton-deploy-ns-'));
    try {
      writeFileSync(join(scoped, 'x.yaml'), flow('scope', 'x'));
      await server.request('/api/v1/flows', {
        method: 'POST',
        body: flow('scope.child', 'old'),
        headers: { 'content-type': 'application/x-yaml' },
      });
      const r = await deploy([scoped, '--namespace', 'scope', '--delete']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('deleted scope.child.old');
      expect(await revisions('scope')).toEqual(['x@1']);
      expect(await revisions('scope.child')).toEqual([]);
    } finally {
      rmSync(scoped, { recursive: true, force: true });
    }
  });

  it('signs in with an API token from BATON_SERVER_TOKEN (Bearer)', async () => {
    const secret = 'deploy-test-token-secret';
    const store = await openSqliteStore({ path: join(server.dataDir, 'baton.db') });
    try {
      await store.putToken({
        id: 'deploy-test',
        user: ADMIN.user,
        name: 'deploy',
        hash: tokenHash(secret),
        createdAt: new Date().toISOString(),
      });
    } finally {
      await store.close();
    }
    const r = await deploy([dir], {
      BATON_SERVER_TOKEN: secret,
      BATON_SERVER_USER: undefined,
      BATON_SERVER_PASSWORD: undefined,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('0 created, 0 updated, 1 unchanged');
  });

  it('says what is wrong without a server or with bad credentials', async () => {
    const noServer = await deploy([dir], { BATON_SERVER: undefined });
    expect(noServer.status).toBe(2);
    expect(noServer.stderr).toContain('--server URL');
    const badAuth = await deploy([dir], { BATON_SERVER_PASSWORD: 'wrong' });
    expect(badAuth.status).toBe(2);
    expect(badAuth.stderr).toContain('401');
  });
});
