/**
 * Retention end to end, on the built server: with `--retention 2s` and purge rounds 200 ms apart
 * (BATON_RETENTION_INTERVAL_MS), an ended execution goes with its logs and files, a paused one stays
 * whatever its age, a namespace with a longer age of its own keeps its executions, and old audit
 * entries go. Bad retention options stop the server at start with a usage error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/index.ts';
import { type ApiExecution, dataDirWithFlows } from '../helpers/api.ts';
import { openServerStore, until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const QUICK = `id: quick
namespace: ret.short
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "a line to purge"
  - id: file
    type: io.kestra.plugin.core.storage.Write
    content: "a file to purge"
`;
const PAUSED = `id: paused
namespace: ret.short
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
`;
const KEPT = `id: kept
namespace: ret.short.keep
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "a line to keep"
`;

const bin = new URL('../../bin/baton.js', import.meta.url).pathname;

describe('retention on a running server', () => {
  let server: TestServer;
  let dataDir: string;
  /** The server's database, opened beside it: what is left in it. */
  let store: SqliteStore;

  beforeAll(async () => {
    dataDir = await dataDirWithFlows([QUICK, PAUSED, KEPT]);
    server = await startServer({
      dataDir,
      args: ['--retention', '2s', '--retention-ns', 'ret.short.keep=1h', '--audit-retention', 'PT2S'],
      env: { BATON_RETENTION_INTERVAL_MS: '200' },
    });
    store = await openServerStore(dataDir);
  });
  afterAll(async () => {
    await store?.close();
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (namespace: string, flowId: string, wait: boolean) => {
    const res = await server.request(`/api/v1/executions/${namespace}/${flowId}${wait ? '?wait=true' : ''}`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ApiExecution;
  };
  const status = async (id: string) => (await server.request(`/api/v1/executions/${id}`)).status;

  it('purges ended executions with their logs and files; keeps paused ones and longer-kept namespaces', async () => {
    const paused = await start('ret.short', 'paused', false);
    await until('the pause', async () => {
      const res = await server.request(`/api/v1/executions/${paused.id}`);
      return ((await res.json()) as ApiExecution).state.current === 'PAUSED';
    });
    const kept = await start('ret.short.keep', 'kept', true);
    const quick = await start('ret.short', 'quick', true);
    expect(quick.state.current).toBe('SUCCESS');
    const files = join(dataDir, 'storage', 'ret', 'short', 'quick', 'executions', quick.id);
    expect(existsSync(files)).toBe(true);
    const logs = async (id: string) => (await store.queryLogs({ executionId: id })).map((l) => l.message);
    expect(await logs(quick.id)).toEqual(['a line to purge']);

    // Two seconds after its end, and a purge round later, it is gone.
    await until('the purge of the ended execution', async () => (await status(quick.id)) === 404);
    expect(await logs(quick.id)).toEqual([]);
    // Its files go right after the rows' transaction commits (the purger deletes a batch's files then).
    await until('its files removed', () => !existsSync(files));
    // Older than the age, but not ended: kept. Its namespace's own age is an hour: kept.
    expect(await status(paused.id)).toBe(200);
    expect(await status(kept.id)).toBe(200);
    expect(await logs(kept.id)).toEqual(['a line to keep']);
    expect(server.output()).toContain('retention: purged');
  });

  it('purges audit entries older than the audit age', async () => {
    const entry = { actor: 'ana', action: 'flow.create', target: 'ret.short.quick' };
    await store.appendAudit([{ ...entry, at: new Date().toISOString() }]);
    // Dated ahead: younger than the age for the whole test, it stays.
    const ahead = new Date(Date.now() + 3_600_000).toISOString();
    await store.appendAudit([{ ...entry, at: ahead, target: 'young' }]);
    expect(await store.countAudit({ target: 'ret.short.quick' })).toBe(1);
    await until(
      'the purge of the old audit entry',
      async () => (await store.countAudit({ target: 'ret.short.quick' })) === 0,
    );
    expect((await store.queryAudit({ target: 'young' })).map((a) => a.at)).toEqual([ahead]);
  });
});

describe('retention options at start', () => {
  it.each([
    [['--retention', 'forever'], /--retention 'forever' is not a duration such as 30d/],
    [['--retention-ns', 'company'], /--retention-ns 'company' must be written NAMESPACE=AGE/],
    [['--audit-retention', '0s'], /--audit-retention '0s' is not a duration/],
  ])('baton server %j is a usage error', (args, message) => {
    const r = spawnSync(process.execPath, [bin, 'server', '--port', '0', ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('BATON_RETENTION is read as --retention is', () => {
    const r = spawnSync(process.execPath, [bin, 'server', '--port', '0'], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, BATON_RETENTION: 'later' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--retention 'later'/);
  });
});
