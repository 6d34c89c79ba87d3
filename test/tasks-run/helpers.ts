/** A real TaskRunContext for runnable tests: SQLite store and local storage in a temp folder. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Execution, LogEntry, TaskRun } from '../../src/execution/types.ts';
import { Lookups, renderString, renderValue } from '../../src/expression/index.ts';
import type { Flow, Task } from '../../src/flow/types.ts';
import { mapSecrets, requireSecret, type SecretProvider } from '../../src/secrets/index.ts';
import type { LocalStorage } from '../../src/storage/local.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.ts';
import type { RunFunction, TaskRunContext } from '../../src/tasks/context.ts';
import { lookupSources } from '../../src/worker/context.ts';
import { JobLogger, SecretMasker } from '../../src/worker/logger.ts';
import { taskFlows } from '../../src/worker/task-flows.ts';

export interface Harness {
  dir: string;
  store: SqliteStore;
  storage: LocalStorage;
  flow: Flow;
  execution: Execution;
  /** A context for one task run; `logs()` returns what it logged. */
  context(opts?: {
    task?: Partial<Task>;
    variables?: Record<string, unknown>;
    signal?: AbortSignal;
    secrets?: SecretProvider;
    value?: string;
  }): { ctx: TaskRunContext; logs(): LogEntry[]; resumed: { id: string; inputs?: unknown }[] };
  dispose(): Promise<void>;
}

const now = () => new Date().toISOString();

export const openHarness = async (): Promise<Harness> => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-tasks-run-'));
  const store = await openSqliteStore({ path: join(dir, 'baton.db') });
  // Loaded lazily so that tests of tasks that need no storage run before the storage lands.
  const storageModule = await import('../../src/storage/local.ts').catch(() => undefined);
  const storage = (
    storageModule ? new storageModule.LocalStorage(join(dir, 'storage')) : undefined
  ) as LocalStorage;
  const flow: Flow = { id: 'hello', namespace: 'company.team', tasks: [{ id: 't', type: 'x' }] };
  const execution: Execution = {
    id: 'exec1',
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: 1,
    state: { current: 'RUNNING', startDate: now(), histories: [{ state: 'RUNNING', date: now() }] },
    inputs: {},
    labels: [],
    taskRuns: [],
    attemptNumber: 1,
  };
  let n = 0;
  return {
    dir,
    store,
    storage,
    flow,
    execution,
    context(opts = {}) {
      n++;
      const task = { id: 't', type: 'test', ...opts.task } as Task;
      const taskRun: TaskRun = {
        id: `tr${n}`,
        executionId: execution.id,
        namespace: flow.namespace,
        flowId: flow.id,
        taskId: task.id,
        attempts: [],
        state: { current: 'RUNNING', startDate: now(), histories: [] },
        value: opts.value,
      };
      const masker = new SecretMasker();
      const logger = new JobLogger(
        {
          executionId: execution.id,
          taskRunId: taskRun.id,
          taskId: task.id,
          attemptNumber: 1,
          namespace: flow.namespace,
          flowId: flow.id,
        },
        masker,
      );
      const collected: LogEntry[] = [];
      const secrets = opts.secrets ?? mapSecrets({});
      const workingDir = join(dir, 'work', taskRun.id);
      mkdirSync(workingDir, { recursive: true });
      const variables = { flow: { id: flow.id, namespace: flow.namespace }, ...opts.variables };
      const secret = (key: string) => {
        const v = requireSecret(secrets, key);
        masker.add(v);
        return v;
      };
      // The worker's lookups: kv(), read(), jq... answered by the store, the storage and jq's thread.
      const lookups = new Lookups(lookupSources(store, storage, execution.id));
      const services = { ...lookups.services, secret };
      const resumed: { id: string; inputs?: unknown }[] = [];
      const ctx: TaskRunContext = {
        flow,
        execution,
        taskRun,
        task,
        attempt: 1,
        idempotencyKey: `${execution.id}:${taskRun.id}:1`,
        variables,
        render: (v) => renderValue(v, variables, { services }),
        renderWith: (v, extra) => renderValue(v, { ...variables, ...extra }, { services }),
        renderString: (t) => renderString(t, variables, { services }),
        renderAsync: (v, extra = {}) =>
          lookups.run(() => renderValue(v, { ...variables, ...extra }, { services })),
        renderStringAsync: (t, extra = {}) =>
          lookups.run(() => renderString(t, { ...variables, ...extra }, { services })),
        withLookups: (render) => lookups.run(render),
        logger,
        metric: (name, value, type, tags) => logger.metric(name, value, type, tags),
        signal: opts.signal ?? new AbortController().signal,
        workingDir,
        store,
        storage,
        secret,
        resumeExecution: async (id, inputs) => {
          resumed.push({ id, inputs });
        },
        flows: taskFlows(store, undefined, execution.id),
      };
      return {
        ctx,
        logs: () => {
          collected.push(...logger.drainLogs());
          return collected;
        },
        resumed,
      };
    },
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Calls a runnable with props (typed loosely: tests pass what a flow would). */
export const runWith = <P>(run: RunFunction<P>, ctx: TaskRunContext, props: Record<string, unknown>) =>
  run(ctx, props as P);
