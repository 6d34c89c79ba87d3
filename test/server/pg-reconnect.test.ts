/**
 * Connections to PostgreSQL cut under running executions, with real processes of the built command: an
 * API+scheduler server, an executor and a worker, all reaching the database through a TCP proxy that
 * the test cuts (every connection destroyed, new ones refused) for 5 s, then restores. The processes
 * must stay up, say so in their logs (the LISTEN connection coming back with growing waits, the beats
 * failing and passing again), declare nobody dead, and finish every execution once (its INSERT, made
 * straight to the database by a jdbc task, counted apart from Baton). Heartbeats are shortened
 * (BATON_HEARTBEAT_MS=500: dead after 3 s without a beat, less than the outage).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterMember } from '../../src/runtime/cluster.ts';
import { deployFlow } from '../helpers/integrations.ts';
import { type BatonProcess, batonProcesses, tearDownCluster } from '../helpers/processes.ts';
import { until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { schemaName, sql } from '../store/pg-helpers.ts';

const NS = 'reconnect';
const OUTAGE_MS = 5_000;
const RUNS = 6;
const schema = schemaName();
const dataDir = mkdtempSync(join(tmpdir(), 'baton-pg-reconnect-'));
let proxy: TcpProxy;
let api: TestServer;
let cluster: ReturnType<typeof batonProcesses>;

const deploy = (source: string) => deployFlow(api, source);
const start = async (flowId: string): Promise<string> => {
  const res = await api.request(`/api/v1/executions/${NS}/${flowId}`, { method: 'POST' });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { id: string }).id;
};
/** Read straight from the database (not through the proxy, nor the API, which may be cut off). */
const states = async (ids: string[]): Promise<string[]> =>
  (await sql(`SELECT state FROM "${schema}".executions WHERE id = ANY($1::text[])`, [ids])).rows.map(
    (r: { state: string }) => r.state,
  );
const alive = (p: { child: { pid?: number } }) =>
  until(`process ${p.child.pid} alive in the cluster`, async () => {
    const res = await api.request('/api/v1/cluster');
    const { instances } = (await res.json()) as { instances: ClusterMember[] };
    return instances.some((m) => m.pid === p.child.pid && m.status === 'ALIVE');
  });
/** The waits announced by the LISTEN reconnection of one process, in order. */
const reconnectWaits = (output: string): number[] =>
  [...output.matchAll(/queue notifications: [^"]*?(?:reconnecting in|next in) (\d+) ms/g)].map((m) =>
    Number(m[1]),
  );
/** Connections whose last statement was the LISTEN of this schema's queue channel. */
const listening = async (): Promise<number> =>
  (
    await sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = $1`, [
      `LISTEN "baton_queue_${schema}"`,
    ])
  ).rows[0].n;

beforeAll(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  const env = {
    ...process.env,
    BATON_DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test?schema=${schema}`,
    BATON_HEARTBEAT_MS: '500',
    BATON_ADMIN_USER: 'admin',
    BATON_ADMIN_PASSWORD: 'admin-password-for-tests',
    BATON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  cluster = batonProcesses(dataDir, env);
  api = await startServer({ dataDir, args: ['--roles', 'api,scheduler'], env });
  await sql(`CREATE TABLE "${schema}".done (execution_id TEXT NOT NULL, task_run_id TEXT NOT NULL)`);
}, 60_000);

afterAll(() => tearDownCluster({ cluster, api, proxy, dataDir }));

describe('connections to PostgreSQL cut and restored', () => {
  it('the processes reconnect with growing waits and finish every execution once; LISTEN works again', async () => {
    const executor = cluster.spawn(['server', '--roles', 'executor', '--port', '0']);
    const worker = cluster.spawn(['worker', '--slots', '8']);
    const procs: BatonProcess[] = [executor, worker];
    for (const p of procs) await alive(p);
    await deploy(`id: steady
namespace: ${NS}
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT2S
  - id: record
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://127.0.0.1:5432/test
    username: postgres
    sql: INSERT INTO ${schema}.done (execution_id, task_run_id) VALUES (:execution, :taskRun)
    parameters:
      execution: "{{ execution.id }}"
      taskRun: "{{ taskrun.id }}"
    fetchType: NONE
  - id: after
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S
`);
    await deploy(`id: quick
namespace: ${NS}
tasks:
  - id: hello
    type: io.kestra.plugin.core.debug.Return
    format: hello
`);
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) ids.push(await start('steady'));
    await until('every execution running', async () => (await states(ids)).every((s) => s === 'RUNNING'));
    expect(await listening()).toBe(2);

    await proxy.cut();
    const cutAt = Date.now();
    const everyone = () => [api.output(), ...procs.map((p) => p.output())];
    await until('every process to notice', () => everyone().every((o) => o.includes('heartbeat failed')));
    // The outage lasts OUTAGE_MS whatever the processes do meanwhile.
    await until('the end of the outage', () => Date.now() - cutAt >= OUTAGE_MS, OUTAGE_MS + 1_000);
    await proxy.restore();
    const restoredAt = Date.now();

    await until(
      'every execution to end',
      async () => (await states(ids)).every((s) => ['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(s)),
      // Well under the 30 s leases: work claimed when the connections dropped must not wait for its
      // lease to run out (a claim whose answer was lost is released by its owner's next claim).
      25_000,
    );
    // On failure: what went wrong, as the executions' own logs say.
    const problems = await sql(
      `SELECT execution_id, task_id, level, message FROM "${schema}".logs WHERE level IN ('WARN', 'ERROR') ORDER BY seq`,
    );
    expect(await states(ids), JSON.stringify(problems.rows, null, 1)).toEqual(ids.map(() => 'SUCCESS'));
    // Each execution's side effect once.
    const done = (await sql(`SELECT execution_id FROM "${schema}".done`)).rows.map(
      (r: { execution_id: string }) => r.execution_id,
    );
    expect(done.sort()).toEqual([...ids].sort());

    // Nobody exited, nobody was declared dead (all were cut off alike), each said what happened.
    for (const p of procs) expect(p.running(), p.output()).toBe(true);
    expect(api.child.exitCode).toBeNull();
    expect(everyone().join('\n')).not.toMatch(/declared dead/);
    for (const o of everyone()) expect(o).toMatch(/heartbeat written again after \d+ ms/);
    // The LISTEN connections (executor and worker) came back after growing, capped waits.
    await until('the executor and the worker to listen again', () =>
      procs.every((p) => /queue notifications: listening again after/.test(p.output())),
    );
    for (const p of procs) {
      const waits = reconnectWaits(p.output());
      expect(waits.length, p.output()).toBeGreaterThanOrEqual(3);
      expect(waits.slice(0, 3)).toEqual([250, 500, 1000]);
      for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
      expect(Math.max(...waits)).toBeLessThanOrEqual(5_000);
    }
    await until('two LISTEN connections again', async () => (await listening()) === 2);

    // A new execution runs after the restore (its wake-ups go through the LISTEN connections again).
    const listenedAt = Date.now();
    const quick = await start('quick');
    const quickStarted = Date.now();
    await until('the new execution to succeed', async () => (await states([quick]))[0] === 'SUCCESS');
    console.log(
      `pg-reconnect: outage ${restoredAt - cutAt} ms; executions ended ${Date.now() - restoredAt} ms after ` +
        `the restore; LISTEN back ${listenedAt - restoredAt} ms after it; a new execution took ` +
        `${Date.now() - quickStarted} ms; reconnect waits: ${procs.map((p) => reconnectWaits(p.output()).join('/')).join(', ')}; ` +
        `proxy connections accepted: ${proxy.accepted}`,
    );
  }, 120_000);
});
