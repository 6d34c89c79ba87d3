/**
 * Faults on PostgreSQL, with real processes of the built command on one schema: two schedulers racing
 * for the same ticks (and one of them SIGKILLed), and every Baton connection terminated by the server
 * mid-execution. Heartbeats are shortened (BATON_HEARTBEAT_MS=250: dead after 1.5 s without a beat)
 * so that the killed scheduler is noticed within the test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow } from '../helpers/integrations.ts';
import { batonProcesses, tearDownCluster } from '../helpers/processes.ts';
import { until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { PG_URL, schemaName, sql } from '../store/pg-helpers.ts';

const NS = 'faults';
const schema = schemaName();
// The application name marks this file's connections, so that terminating them spares other tests'.
const appName = `baton_faults_${schema.slice(-12)}`;
const database = `${PG_URL}?schema=${schema}&application_name=${appName}`;

interface Listed {
  id: string;
  flowId: string;
  state: { current: string; startDate: string };
  trigger?: { variables: Record<string, unknown> };
}

const dataDir = mkdtempSync(join(tmpdir(), 'baton-pg-faults-'));
const env = {
  ...process.env,
  BATON_DATABASE_URL: database,
  BATON_HEARTBEAT_MS: '250',
  BATON_ADMIN_USER: 'admin',
  BATON_ADMIN_PASSWORD: 'admin-password-for-tests',
  BATON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const cluster = batonProcesses(dataDir, env);

let api: TestServer;

const deploy = (source: string) => deployFlow(api, source);
const executionsOf = async (flowId: string): Promise<Listed[]> => {
  const res = await api.request(`/api/v1/executions/search?namespace=${NS}&flowId=${flowId}&size=1000`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Listed[] }).results;
};
const triggerDates = (list: Listed[]) => list.map((e) => String(e.trigger?.variables.date));
const duplicates = (dates: string[]) => dates.filter((d, i) => dates.indexOf(d) !== i);

beforeAll(async () => {
  api = await startServer({ dataDir, args: ['--roles', 'api,executor,worker'], env });
}, 60_000);

afterAll(() => tearDownCluster({ cluster, api, dataDir }));

describe('faults on PostgreSQL', () => {
  it('two schedulers on one database fire every tick once, and one left alone after a SIGKILL keeps firing', async () => {
    const schedulerA = cluster.spawn(['server', '--roles', 'scheduler', '--port', '0']);
    const schedulerB = cluster.spawn(['server', '--roles', 'scheduler', '--port', '0']);
    await deploy(`id: ticking
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
`);
    const deployedAt = Date.now();
    const first = await until(
      '6 executions of the schedule',
      async () => {
        const list = await executionsOf('ticking');
        return list.length >= 6 && list;
      },
      60_000,
    );
    const firstAfterMs = Date.now() - deployedAt;
    expect(duplicates(triggerDates(first))).toEqual([]);

    schedulerA.child.kill('SIGKILL');
    await schedulerA.exited;
    const before = first.length;
    const second = await until(
      '4 more executions after one scheduler was killed',
      async () => {
        const list = await executionsOf('ticking');
        return list.length >= before + 4 && list;
      },
      60_000,
    );
    const dates = triggerDates(second);
    expect(duplicates(dates), schedulerA.output() + schedulerB.output()).toEqual([]);
    // Ticks kept coming after the kill: the latest tick is later than every tick seen before it.
    const latestBefore = triggerDates(first).sort().at(-1)!;
    expect(dates.sort().at(-1)! > latestBefore).toBe(true);
    // Report the ticks lost (if any) between the first and the last fired one.
    const seconds = dates.map((d) => Date.parse(d) / 1000).sort((a, b) => a - b);
    const missing = seconds.at(-1)! - seconds[0]! + 1 - seconds.length;
    // How late each execution was created after its tick (the scheduler's delay, for the report).
    const lags = second.map(
      (e) => Date.parse(e.state.startDate) - Date.parse(String(e.trigger?.variables.date)),
    );
    console.log(
      `pg-faults: 6 executions after ${firstAfterMs} ms; ${seconds.length} ticks fired, ${missing} second(s) ` +
        `without a tick; lag tick->start ms: ${lags.sort((a, b) => a - b).join(',')}; ticks ${dates.join(',')}`,
    );
  }, 150_000);
});

describe('faults on PostgreSQL, continued', () => {
  it('every Baton connection terminated by the server mid-execution: the processes reconnect and the execution ends SUCCESS', async () => {
    await deploy(`id: sleepy
namespace: ${NS}
tasks:
  - id: first
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S
  - id: second
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S
  - id: third
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S
`);
    const res = await api.request(`/api/v1/executions/${NS}/sleepy`, { method: 'POST' });
    expect(res.status, await res.clone().text()).toBe(200);
    const { id } = (await res.json()) as { id: string };
    const get = async () => (await (await api.request(`/api/v1/executions/${id}`)).json()) as Listed;
    await until('the first Sleep to run', async () => (await get()).state.current === 'RUNNING');

    const terminated = await sql(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE datname = 'test' AND application_name = $1 AND pid <> pg_backend_pid()`,
      [appName],
    );
    expect(terminated.rowCount).toBeGreaterThan(0);
    console.log(`pg-faults: ${terminated.rowCount} connection(s) terminated`);

    const ended = await until(
      `execution ${id} to end`,
      async () => {
        if (api.child.exitCode !== null || api.child.signalCode !== null)
          throw new Error(`the api server exited (${api.child.exitCode}):\n${api.output().slice(-3000)}`);
        const e = await get();
        return ['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(e.state.current) && e;
      },
      60_000,
    );
    expect(ended.state.current, api.output()).toBe('SUCCESS');
    // The processes hold connections again.
    const reconnected = await sql(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    expect(reconnected.rows[0].n).toBeGreaterThan(0);
  }, 90_000);
});
