/**
 * An executor SIGKILLed in the middle of a big ForEach, with real processes of the built command on one
 * PostgreSQL schema: an API+scheduler server, executors A and B, two workers. Each of the 1,000
 * iterations INSERTs its value into a table of the test (a side effect counted apart from Baton's own
 * records). A is killed once a few hundred values have run, while it holds a claim on the execution's
 * messages; B must take over once A is declared dead by its missing heartbeats, and finish: every value
 * runs, none twice. Heartbeats are shortened to BATON_HEARTBEAT_MS=1000 (dead after 6 s without a beat),
 * not to the 250 ms of lighter tests: under this load on two cores, beats came more than 1.5 s apart and
 * live workers were declared dead, their jobs handed out again (run twice, as designed for a dead worker).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterMember } from '../../src/runtime/cluster.ts';
import type { KestraExecution } from '../../src/server/kestra/execution-json.ts';
import { deployFlow } from '../helpers/integrations.ts';
import { type BatonProcess, batonProcesses, tearDownCluster } from '../helpers/processes.ts';
import { until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { PG_URL, schemaName, sql } from '../store/pg-helpers.ts';

const NS = 'failover';
const VALUES = 1_000;
const schema = schemaName();
const dataDir = mkdtempSync(join(tmpdir(), 'baton-pg-failover-'));
const env = {
  ...process.env,
  BATON_DATABASE_URL: `${PG_URL}?schema=${schema}`,
  BATON_HEARTBEAT_MS: '1000',
  BATON_ADMIN_USER: 'admin',
  BATON_ADMIN_PASSWORD: 'admin-password-for-tests',
  BATON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const cluster = batonProcesses(dataDir, env);
let api: TestServer;

const members = async (): Promise<ClusterMember[]> =>
  ((await (await api.request('/api/v1/cluster')).json()) as { instances: ClusterMember[] }).instances;
const alive = (p: BatonProcess) =>
  until(`process ${p.child.pid} alive in the cluster`, async () =>
    (await members()).some((m) => m.pid === p.child.pid && m.status === 'ALIVE'),
  );
const getExecution = async (id: string) =>
  (await (await api.request(`/api/v1/executions/${id}`)).json()) as KestraExecution;
/** Whether the process holds a claim on executor messages now (its owner id is host:pid:nonce). */
const holdsExecutorLease = async (p: BatonProcess) =>
  (
    await sql(
      `SELECT count(*)::int AS n FROM "${schema}".queue
        WHERE queue = 'executor' AND locked_by LIKE $1 AND locked_until > $2`,
      [`%:${p.child.pid}:%`, Date.now()],
    )
  ).rows[0].n > 0;
const recorded = async (): Promise<number> =>
  (await sql(`SELECT count(*)::int AS n FROM "${schema}".ran`)).rows[0].n;

beforeAll(async () => {
  api = await startServer({ dataDir, args: ['--roles', 'api,scheduler'], env });
  await sql(`CREATE TABLE "${schema}".ran (value TEXT NOT NULL, task_run_id TEXT NOT NULL)`);
}, 60_000);

afterAll(() => tearDownCluster({ cluster, api, dataDir }));

describe('an executor SIGKILLed during a ForEach on PostgreSQL', () => {
  it('another executor finishes it: every value runs, none succeeds twice', async () => {
    const executorA = cluster.spawn(['server', '--roles', 'executor', '--port', '0']);
    const workers = [cluster.spawn(['worker', '--slots', '20'])];
    for (const p of [executorA, ...workers]) await alive(p);
    await deployFlow(
      api,
      `id: thousand
namespace: ${NS}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ range(1, ${VALUES}) }}"
    concurrencyLimit: 20
    tasks:
      - id: record
        type: io.kestra.plugin.jdbc.postgresql.Query
        url: jdbc:postgresql://127.0.0.1:5432/test
        username: postgres
        sql: INSERT INTO ${schema}.ran (value, task_run_id) VALUES (:value, :taskRun)
        parameters:
          value: "{{ taskrun.value }}"
          taskRun: "{{ taskrun.id }}"
        fetchType: NONE
`,
    );
    const startedAt = Date.now();
    const res = await api.request(`/api/v1/executions/${NS}/thousand`, { method: 'POST' });
    expect(res.status, await res.clone().text()).toBe(200);
    const { id } = (await res.json()) as { id: string };

    // B starts once A drives the execution (so that A is alive at B's start: B's start-up recovery,
    // which takes over dead processes of its own machine at once, has nothing to do; the heartbeat must).
    await until('100 values recorded', async () => (await recorded()) >= 100, 60_000);
    const executorB = cluster.spawn(['server', '--roles', 'executor', '--port', '0']);
    await alive(executorB);
    await until('300 values recorded', async () => (await recorded()) >= 300, 60_000);
    await until('executor A to hold a claim on the execution', () => holdsExecutorLease(executorA), 20_000);
    executorA.child.kill('SIGKILL');
    const killedAt = Date.now();
    const atKill = await recorded();
    await executorA.exited;

    // Polled in the table (one column), not through the API: the execution with its 2,000 task runs,
    // read 20 times a second, would load the machine more than the run does.
    const finalState = await until(
      `execution ${id} to end`,
      async () => {
        const { rows } = await sql(`SELECT state FROM "${schema}".executions WHERE id = $1`, [id]);
        const state = rows[0]?.state as string | undefined;
        return state && ['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(state) && state;
      },
      110_000,
    );
    const endedAt = Date.now();
    expect(finalState, cluster.outputs()).toBe('SUCCESS');
    const ended = await getExecution(id);
    const deathNotice = new RegExp(
      `process ${executorA.child.pid} on \\S+ missed its heartbeats .*declared dead`,
    );
    expect(
      executorB.output() + api.output() + workers.map((w) => w.output()).join(''),
      cluster.outputs(),
    ).toMatch(deathNotice);

    // Nobody else was declared dead: a live worker declared dead has its jobs handed out again.
    const deaths = [...cluster.outputs().matchAll(/process (\d+) on \S+ missed its heartbeats/g)].map(
      (m) => m[1],
    );
    expect(new Set(deaths)).toEqual(new Set([String(executorA.child.pid)]));

    // The side effect: every value once.
    const rows = (await sql(`SELECT value, task_run_id FROM "${schema}".ran`)).rows as {
      value: string;
      task_run_id: string;
    }[];
    const byValue = new Map<string, string[]>();
    for (const r of rows) byValue.set(r.value, [...(byValue.get(r.value) ?? []), r.task_run_id]);
    const twice = [...byValue].filter(([, runs]) => runs.length > 1);
    expect(twice, `values recorded more than once: ${JSON.stringify(twice.slice(0, 10))}`).toEqual([]);
    expect(byValue.size).toBe(VALUES);
    for (let v = 1; v <= VALUES; v++) expect(byValue.has(String(v)), `value ${v}`).toBe(true);

    // Baton's own record: one SUCCESS task run per value, each on its first attempt.
    const records = ended.taskRunList.filter((t) => t.taskId === 'record');
    const succeeded = records.filter((t) => t.state.current === 'SUCCESS');
    expect(new Set(succeeded.map((t) => String(t.value))).size).toBe(VALUES);
    expect(succeeded.length).toBe(VALUES);
    expect(records.length).toBe(VALUES);
    expect(records.filter((t) => t.attempts.length !== 1).map((t) => t.value)).toEqual([]);
    console.log(
      `pg-executor-failover: ${atKill} values recorded when executor A was killed after ${killedAt - startedAt} ms; ` +
        `execution ended ${endedAt - killedAt} ms later (${endedAt - startedAt} ms in all)`,
    );
  }, 180_000);
});
