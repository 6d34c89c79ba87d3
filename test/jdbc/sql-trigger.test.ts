/**
 * The SQL Trigger end to end in `baton server` (bin/baton.js over dist/): rows inserted into the real
 * PostgreSQL, MariaDB and SQLite start one execution each poll that finds them, with `trigger.rows` and
 * `trigger.size`; `afterSQL` marks them processed in the same transaction, so the next execution holds
 * only the rows inserted after. Credentials come from `secret()` and never reach the server's output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { type Db, openMariadb, openPostgres, openSqliteFile, uniqueName } from './sql-helpers.ts';

const SECRET = `pw-${Date.now()}-${Math.random().toString(36).slice(2)}`;

interface ApiExecution {
  id: string;
  state: { current: string };
  trigger?: { type: string; variables: Record<string, unknown> };
  taskRunList?: { taskId: string; outputs?: Record<string, unknown> }[];
}

let server: TestServer;
const dbs: Db[] = [];
beforeAll(async () => {
  server = await startServer({
    // pg trusts local connections: any password is accepted, which lets one come from a secret here.
    env: { BATON_SECRET_SQL_PASSWORD: SECRET, BATON_SECRET_SQL_USER: 'postgres' },
  });
}, 60_000);
afterAll(async () => {
  await server?.dispose();
  for (const db of dbs) await db.close();
});

const executions = async (ns: string, flowId: string): Promise<ApiExecution[]> => {
  const res = await server.request(`/api/v1/executions/search?namespace=${ns}&flowId=${flowId}&size=100`);
  const { results } = (await res.json()) as { results: ApiExecution[] };
  return Promise.all(
    results.map(
      async (e) => (await (await server.request(`/api/v1/executions/${e.id}`)).json()) as ApiExecution,
    ),
  );
};

describe.each([
  [
    'postgresql',
    openPostgres,
    '    username: "{{ secret(\'SQL_USER\') }}"\n    password: "{{ secret(\'SQL_PASSWORD\') }}"\n',
  ],
  ['mysql', openMariadb, '    username: root\n'],
  ['sqlite', openSqliteFile, ''],
] as const)('%s Trigger', (name, open, credentials) => {
  it('starts an execution with the rows it finds; afterSQL keeps them from being found again', async () => {
    const db = await open();
    dbs.push(db);
    const table = uniqueName('baton_orders');
    await db.exec(
      `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, item VARCHAR(50), processed INTEGER NOT NULL DEFAULT 0)`,
    );
    const ns = `sql.trigger.${name}`;
    const flow = `id: orders
namespace: ${ns}
tasks:
  - id: count
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.size }} {{ trigger.rows | jq('[.[].item] | join(\\",\\")') | first }}"
triggers:
  - id: watch
    type: io.kestra.plugin.jdbc.${name}.Trigger
    url: ${db.url}
${credentials}    interval: PT0.2S
    sql: SELECT id, item FROM ${table} WHERE processed = :no ORDER BY id
    afterSQL: UPDATE ${table} SET processed = 1 WHERE processed = :no
    parameters:
      no: 0
    fetchType: FETCH
`;
    try {
      const created = await server.request('/api/v1/flows', {
        method: 'POST',
        body: flow,
        headers: { 'content-type': 'application/x-yaml' },
      });
      expect(created.status, await created.clone().text()).toBe(200);
      await db.exec(`INSERT INTO ${table} (id, item) VALUES (1, 'apple'), (2, 'pear')`);
      const [first] = await until('an execution for the first rows', async () => {
        const all = await executions(ns, 'orders');
        return all.length === 1 && all[0]?.state.current === 'SUCCESS' ? all : undefined;
      });
      expect(first?.trigger?.type).toBe(`io.kestra.plugin.jdbc.${name}.Trigger`);
      expect(first?.trigger?.variables).toEqual({
        size: 2,
        rows: [
          { id: 1, item: 'apple' },
          { id: 2, item: 'pear' },
        ],
      });
      expect(first?.taskRunList?.[0]?.outputs?.value).toBe('2 apple,pear');

      await db.exec(`INSERT INTO ${table} (id, item) VALUES (3, 'plum')`);
      const second = await until('an execution for the new row', async () => {
        const all = await executions(ns, 'orders');
        return all.length >= 2 ? all.find((e) => e.id !== first?.id) : undefined;
      }).catch((error: Error) => {
        // What the scheduler said, to tell a poll that failed from one that never ran.
        const said = server
          .output()
          .split('\n')
          .filter((l) => /scheduler|poll|trigger/i.test(l));
        throw new Error(`${error.message}\n${said.slice(-20).join('\n')}`);
      });
      expect(second.trigger?.variables).toEqual({ size: 1, rows: [{ id: 3, item: 'plum' }] });
      expect(server.output()).not.toContain(SECRET);
    } finally {
      await server.request(`/api/v1/flows/${ns}/orders`, { method: 'DELETE' });
      await db.exec(`DROP TABLE IF EXISTS ${table}`);
    }
  }, 60_000);
});

describe('a poll whose execution is not stored', () => {
  it('rolls back afterSQL, so the same rows are found again; committed once the execution is stored', async () => {
    const { sqlTrigger } = await import('../../src/tasks/jdbc/trigger.ts');
    const db = await openPostgres();
    dbs.push(db);
    const table = uniqueName('baton_held');
    await db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, processed INTEGER NOT NULL DEFAULT 0)`);
    await db.exec(`INSERT INTO ${table} (id) VALUES (1)`);
    const type = sqlTrigger('io.kestra.plugin.jdbc.postgresql.Trigger');
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const ctx = {
      flow: { id: 'f', namespace: 'sql.held', tasks: [] },
      trigger: {
        id: 'watch',
        type: type.type,
        url: db.url,
        username: 'postgres',
        sql: `SELECT id FROM ${table} WHERE processed = 0`,
        afterSQL: `UPDATE ${table} SET processed = 1`,
        fetchType: 'FETCH',
      },
      data: undefined,
      log,
    };
    const signal = new AbortController().signal;
    try {
      const dropped = await type.poll(ctx as never, signal);
      expect(dropped?.event?.variables).toEqual({ size: 1, rows: [{ id: 1 }] });
      await dropped?.settle?.({ stored: false, started: false });
      const again = await type.poll(ctx as never, signal);
      expect(again?.event?.variables).toEqual({ size: 1, rows: [{ id: 1 }] });
      await again?.settle?.({ stored: true, started: true });
      expect(await type.poll(ctx as never, signal)).toBeUndefined();
    } finally {
      await db.exec(`DROP TABLE IF EXISTS ${table}`);
    }
  });
});
