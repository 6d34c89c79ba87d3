/**
 * Heartbeats, the cluster view and worker groups, with real processes on one data folder: an API server,
 * an executor+worker server (the default group) and `baton worker --group gpu` processes. Heartbeats
 * are shortened (BATON_HEARTBEAT_MS=250: dead after 1.5 s without a beat) so that a death is noticed
 * within the test. Run on SQLite (one data folder) and on PostgreSQL (BATON_DATABASE_URL, a schema of its
 * own).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import type { ClusterMember } from '../../src/runtime/cluster.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/types.ts';
import { until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { dropSchemas, PG_URL, schemaName } from '../store/pg-helpers.ts';

const main = new URL('../../bin/baton.js', import.meta.url).pathname;

const clusterSuite = (name: string, database?: string) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-cluster-'));
  const env = {
    ...process.env,
    ...(database ? { BATON_DATABASE_URL: database } : {}),
    BATON_HEARTBEAT_MS: '250',
    BATON_ADMIN_USER: 'admin',
    BATON_ADMIN_PASSWORD: 'admin-password-for-tests',
    BATON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };

  interface Proc {
    child: ChildProcess;
    output(): string;
    exited: Promise<unknown>;
  }
  const procs: Proc[] = [];
  const spawnBaton = (args: string[]): Proc => {
    const child = spawn(process.execPath, [main, ...args, '--data', dataDir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    const proc = { child, output: () => output, exited: new Promise((r) => child.once('exit', r)) };
    procs.push(proc);
    return proc;
  };

  let api: TestServer;
  let engine: Proc;
  let gpuA: Proc;
  let store: Store;

  const cluster = async (): Promise<ClusterMember[]> =>
    ((await (await api.request('/api/v1/cluster')).json()) as { instances: ClusterMember[] }).instances;
  const memberOf = async (p: Proc) => (await cluster()).find((m) => m.pid === p.child.pid);
  const alive = (p: Proc) =>
    until(`process ${p.child.pid} in the cluster`, async () => (await memberOf(p))?.status === 'ALIVE');

  const deploy = async (id: string, tasks: string) => {
    const source = `id: ${id}\nnamespace: cluster\ntasks:\n${tasks}`;
    const res = await api.request('/api/v1/flows', {
      method: 'POST',
      headers: { 'content-type': 'application/x-yaml' },
      body: source,
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const start = async (flowId: string): Promise<string> => {
    const res = await api.request(`/api/v1/executions/cluster/${flowId}`, { method: 'POST' });
    return ((await res.json()) as { id: string }).id;
  };
  const ended = (id: string, timeoutMs = 30_000) =>
    until(
      `execution ${id} to end`,
      async () => {
        const e = await store.getExecution(id);
        return e && ['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(e.state.current) ? e : undefined;
      },
      timeoutMs,
    );
  const logsOf = async (id: string) =>
    (await store.queryLogs({ executionId: id })).map((l) => `${l.level} ${l.message}`);
  const workerOf = (e: Execution, taskId: string, attempt = 0) =>
    e.taskRuns.find((t) => t.taskId === taskId)?.attempts?.[attempt]?.workerId;
  const shell = (id: string, command: string, group?: string) =>
    `  - id: ${id}\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands:\n      - ${command}\n` +
    (group ? `    workerGroup:\n      key: ${group}\n` : '');

  beforeAll(async () => {
    api = await startServer({ dataDir, args: ['--roles', 'api,scheduler'], env });
    engine = spawnBaton(['server', '--roles', 'executor,worker', '--slots', '4']);
    gpuA = spawnBaton(['worker', '--group', 'gpu', '--slots', '2']);
    store = (await openStore(database ?? join(dataDir, 'baton.db'))).store;
    await alive(engine);
    await alive(gpuA);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    for (const p of procs) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await api?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe(`cluster of processes on one database (${name})`, () => {
    it('lists every process with its roles, group and slots (API and baton cluster)', async () => {
      // On PostgreSQL, the data folder holds files only: no SQLite database was made.
      expect(existsSync(join(dataDir, 'baton.db'))).toBe(database === undefined);
      const members = await cluster();
      const apiMember = members.find((m) => m.pid === api.child.pid);
      expect(apiMember).toMatchObject({ roles: ['api', 'scheduler'], slots: 0, status: 'ALIVE' });
      expect(await memberOf(engine)).toMatchObject({ roles: ['executor', 'worker'], slots: 4, busy: 0 });
      const gpu = await memberOf(gpuA);
      expect(gpu).toMatchObject({ roles: ['worker'], workerGroup: 'gpu', slots: 2 });
      expect(gpu!.lagMs).toBeLessThan(5_000);
      const { stdout } = await promisify(execFile)(process.execPath, [main, 'cluster', '--data', dataDir], {
        env,
      });
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toMatch(
        /^INSTANCE\s+STATUS\s+ROLES\s+GROUP\s+SLOTS\s+QUEUE LAG\s+LAST BEAT\s+BEAT LAG$/,
      );
      const gpuLine = lines.find((l) => l.startsWith(gpu!.id));
      expect(gpuLine).toMatch(/ALIVE\s+worker\s+gpu\s+0\/2/);
      const json = JSON.parse(
        (await promisify(execFile)(process.execPath, [main, 'cluster', '--data', dataDir, '--json'], { env }))
          .stdout,
      ) as ClusterMember[];
      expect(json.map((m) => m.pid)).toEqual(
        expect.arrayContaining([api.child.pid, engine.child.pid, gpuA.child.pid]),
      );
    });

    it('a task of a worker group runs on that group’s worker, a task without one on the default worker', async () => {
      await deploy(
        'routed',
        shell('on_gpu', 'sleep 0.3 && echo gpu', 'gpu') + shell('on_default', 'sleep 0.3 && echo default'),
      );
      const e = await ended(await start('routed'));
      expect(e.state.current).toBe('SUCCESS');
      expect(workerOf(e, 'on_gpu')).toBe((await memberOf(gpuA))!.id);
      expect(workerOf(e, 'on_default')).toBe((await memberOf(engine))!.id);
    });

    it('fallback FAIL with no live worker of the group fails the task run with a warning', async () => {
      await deploy(
        'no_tpu',
        '  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    workerGroup:\n      key: tpu\n      fallback: FAIL\n',
      );
      const id = await start('no_tpu');
      const e = await ended(id);
      expect(e.state.current).toBe('FAILED');
      expect(await logsOf(id)).toContainEqual(
        expect.stringMatching(/^WARN No live worker of worker group 'tpu': the task run fails/),
      );
    });

    it('fallback CANCEL ends the task run KILLED', async () => {
      await deploy(
        'cancel_tpu',
        '  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    workerGroup:\n      key: tpu\n      fallback: CANCEL\n',
      );
      const id = await start('cancel_tpu');
      const e = await ended(id);
      expect(e.taskRuns[0]!.state.current).toBe('KILLED');
      expect(await logsOf(id)).toContainEqual(
        expect.stringMatching(/^WARN No live worker of worker group 'tpu': the task run is cancelled/),
      );
    });

    it('fallback WAIT keeps the job queued until a worker of the group starts', async () => {
      await deploy('wait_tpu', shell('t', 'sleep 0.3 && echo waited', 'tpu'));
      const id = await start('wait_tpu');
      await until('the WAIT warning', async () =>
        (await logsOf(id)).some((l) => /^WARN No live worker of worker group 'tpu': the task waits/.test(l)),
      );
      expect((await store.getExecution(id))!.state.current).toBe('RUNNING');
      const tpu = spawnBaton(['worker', '--group', 'tpu']);
      // The job waited for the worker to start: the worker's heartbeat shows that wait as its queue lag.
      const lagged = await until('the tpu worker to report its queue lag', async () => {
        const m = await memberOf(tpu);
        return m && (m.queueLagMs ?? 0) >= 100 && m;
      });
      const e = await ended(id);
      expect(e.state.current).toBe('SUCCESS');
      expect(workerOf(e, 't')).toBe(lagged.id);
    });

    it('a worker killed mid-task is declared dead once its beats stop; its task runs again on another worker of its group', async () => {
      const gpuB = spawnBaton(['worker', '--group', 'gpu', '--slots', '2']);
      await alive(gpuB);
      await deploy('long_gpu', shell('t', 'sleep 2 && echo finished', 'gpu'));
      const id = await start('long_gpu');
      const first = await until('the task to start on a gpu worker', async () => {
        const e = await store.getExecution(id);
        return e && workerOf(e, 't');
      });
      const victim = [gpuA, gpuB].find((p) => first.split(':').at(-2) === String(p.child.pid))!;
      const survivor = victim === gpuA ? gpuB : gpuA;
      victim.child.kill('SIGKILL');
      const e = await ended(id);
      expect(e.state.current).toBe('SUCCESS');
      const run = e.taskRuns.find((t) => t.taskId === 't')!;
      expect(run.attempts?.length).toBe(2);
      expect(run.attempts?.[1]?.workerId).toBe((await memberOf(survivor))!.id);
      expect((await memberOf(victim))?.status).toBe('DEAD');
      // The processes that noticed said so (the executor's server takes its executions over).
      await until('a death notice', () => /declared dead/.test(engine.output() + api.output()));
    }, 60_000);
  });
};

clusterSuite('SQLite');
clusterSuite('PostgreSQL', `${PG_URL}?schema=${schemaName()}`);
afterAll(() => dropSchemas());
