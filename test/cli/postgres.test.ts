/**
 * The built `baton` on PostgreSQL: `baton run` with BATON_DATABASE_URL or --db, `baton server --db`
 * running a flow through the API, and the message when the server cannot be reached. Each test in a
 * schema of its own (`?schema=`), dropped afterwards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ApiExecution, waitForState } from '../helpers/api.ts';
import { startServer } from '../helpers/server.ts';
import { dropSchemas, PG_URL, schemaName, sql } from '../store/pg-helpers.ts';

const main = new URL('../../bin/baton.js', import.meta.url).pathname;
const examples = new URL('../../examples/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-pg-cli-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchemas();
});

const baton = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: dir,
    env: { ...process.env, BATON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), ...env },
  });

describe('baton on PostgreSQL', () => {
  it('baton run stores its execution in the database of BATON_DATABASE_URL, or of --db', async () => {
    const schema = schemaName();
    const url = `${PG_URL}?schema=${schema}`;
    const data = join(dir, 'run');
    const first = baton({ BATON_DATABASE_URL: url }, 'run', join(examples, 'hello.yaml'), '--data', data);
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain('greeting: Hello, WORLD');
    const second = baton(
      {},
      'run',
      join(examples, 'hello.yaml'),
      '-i',
      'name=pg',
      '--data',
      data,
      '--db',
      url,
    );
    expect(second.status, second.stderr + second.stdout).toBe(0);
    const rows = await sql(`SELECT state FROM "${schema}".executions`);
    expect(rows.rows).toEqual([{ state: 'SUCCESS' }, { state: 'SUCCESS' }]);
    expect((await sql(`SELECT count(*)::int AS n FROM "${schema}".queue`)).rows).toEqual([{ n: 0 }]);
    // The data folder keeps the files, not the database.
    expect(existsSync(join(data, 'baton.db'))).toBe(false);
    const logs = baton({ BATON_DATABASE_URL: url }, 'executions', 'list', '--data', data);
    expect(logs.status, logs.stderr).toBe(0);
    expect(logs.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('baton server --db runs a flow created through the API', async () => {
    const schema = schemaName();
    const server = await startServer({ args: ['--db', `${PG_URL}?schema=${schema}`] });
    try {
      const source =
        'id: hi\nnamespace: company.pg\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi from pg\n';
      const created = await server.request('/api/v1/flows', {
        method: 'POST',
        headers: { 'content-type': 'application/x-yaml' },
        body: source,
      });
      expect(created.status, await created.clone().text()).toBe(200);
      const started = await server.request('/api/v1/executions/company.pg/hi', { method: 'POST' });
      expect(started.status, await started.clone().text()).toBe(200);
      const { id } = (await started.json()) as ApiExecution;
      const done = await waitForState(server, id, (e) => ['SUCCESS', 'FAILED'].includes(e.state.current));
      expect(done.state.current).toBe('SUCCESS');
      const stored = await sql(`SELECT state FROM "${schema}".executions WHERE id = $1`, [id]);
      expect(stored.rows).toEqual([{ state: 'SUCCESS' }]);
      expect(existsSync(join(server.dataDir, 'baton.db'))).toBe(false);
      // Its executor and worker listen for the messages other processes enqueue (Store.onQueue).
      const listening = await sql(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = $1',
        [`LISTEN "baton_queue_${schema}"`],
      );
      expect(listening.rows).toEqual([{ n: 1 }]);
    } finally {
      await server.dispose();
    }
  });

  it('a server that cannot be reached stops the command with exit 3, naming the host, never the password', () => {
    const r = baton(
      {},
      'run',
      join(examples, 'hello.yaml'),
      '--data',
      join(dir, 'unreachable'),
      '--db',
      'postgres://postgres:hunter2@127.0.0.1:1/test',
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('cannot be reached');
    expect(r.stderr).toContain('127.0.0.1:1/test');
    expect(r.stderr).not.toContain('hunter2');
  });
});
