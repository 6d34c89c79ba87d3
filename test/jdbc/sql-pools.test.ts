/**
 * Connections are pooled per worker process (one pool per url and user, reused by the next task) and
 * closed when the worker stops: the server sees Baton's connections go away.
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import { openPoolCount } from '../../src/tasks/jdbc/pools.ts';
import { startEngine } from '../helpers/engine.ts';
import { until } from '../helpers/schedule.ts';

it('reuses one pool across tasks and closes it when the worker stops', async () => {
  const app = `baton_pool_${process.pid}_${Date.now()}`;
  const engine = await startEngine();
  const query = (id: string) => `  - id: ${id}
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://127.0.0.1:5432/test?ApplicationName=${app}
    username: postgres
    sql: SELECT pg_backend_pid() AS pid
    fetchType: FETCH_ONE
`;
  try {
    await engine.deploy(`id: pooled\nnamespace: sql.pools\ntasks:\n${query('a')}${query('b')}`);
    const e = await engine.run('sql.pools', 'pooled');
    expect(e.state.current).toBe('SUCCESS');
    const pids = e.taskRuns.map((t) => (t.outputs?.row as { pid?: number } | undefined)?.pid);
    // The second task got the connection the first one gave back.
    expect(pids[0]).toBe(pids[1]);
    expect(openPoolCount()).toBe(1);
    // Baton's connections as the server lists them.
    const open = async () => {
      const client = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'test' });
      await client.connect();
      try {
        const sql = 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1';
        return ((await client.query(sql, [app])).rows[0] as { n: number }).n;
      } finally {
        await client.end();
      }
    };
    expect(await open()).toBe(1);
    await engine.close();
    expect(openPoolCount()).toBe(0);
    await until('the server to see the connection closed', async () => (await open()) === 0);
  } finally {
    await engine.dispose().catch(() => undefined);
  }
});
