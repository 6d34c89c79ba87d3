/** A Worker on a real SQLite store and local storage in a temp folder; jobs enqueued as the executor would. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Execution, TaskRun } from '../../src/execution/types.ts';
import type { ExecutorEvent } from '../../src/executor/types.ts';
import type { Flow, Input, Task } from '../../src/flow/types.ts';
import { plainCipher } from '../../src/secrets/encryption.ts';
import { mapSecrets } from '../../src/secrets/index.ts';
import { LocalStorage } from '../../src/storage/local.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.ts';
import type { Store } from '../../src/store/types.ts';
import { WakeupSignal } from '../../src/util/signal.ts';
import type { WorkerJobPayload } from '../../src/worker/types.ts';
import { Worker, type WorkerOptions } from '../../src/worker/worker.ts';

export interface WorkerHarness {
  store: SqliteStore;
  storage: LocalStorage;
  worker: Worker;
  /** Enqueues a job for `task` (a new task run of the one execution); returns the task run id. */
  submit(task: Task, attempt?: number): Promise<string>;
  /** Waits for the executor message of `type` about `taskRunId` (consuming executor messages as they come). */
  waitFor<T extends ExecutorEvent['type']>(
    taskRunId: string,
    type: T,
  ): Promise<Extract<ExecutorEvent, { type: T }>>;
  dispose(): Promise<void>;
}

const now = () => new Date().toISOString();

export const openWorker = async (
  opts: Partial<WorkerOptions> & {
    inputs?: Input[];
    inputValues?: Record<string, unknown>;
    /** What the worker sees of the store (e.g. only its asynchronous interface, as a network database). */
    storeView?: (store: SqliteStore) => Store;
    /** Called before each job is loaded (a test makes the database fail there). */
    beforeLoad?: () => void;
  } = {},
): Promise<WorkerHarness> => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-worker-test-'));
  const store = await openSqliteStore({ path: join(dir, 'baton.db') });
  const storage = new LocalStorage(join(dir, 'storage'));
  const flow: Flow = { id: 'f', namespace: 'company.team', inputs: opts.inputs, tasks: [] };
  const execution: Execution = {
    id: 'e1',
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: 1,
    state: { current: 'RUNNING', startDate: now(), histories: [] },
    inputs: opts.inputValues ?? {},
    labels: [],
    taskRuns: [],
    attemptNumber: 1,
  };
  const executorWakeup = new WakeupSignal();
  const wakeup = new WakeupSignal();
  let n = 0;
  const worker = new Worker({
    store: opts.storeView ? opts.storeView(store) : store,
    storage,
    workerId: 'worker-1',
    cipher: plainCipher,
    envs: {},
    wakeup,
    notifyExecutor: () => executorWakeup.notify(),
    secrets: mapSecrets({}),
    workingDirRoot: join(dir, 'work'),
    loadJob: async (job) => {
      opts.beforeLoad?.();
      const taskRun: TaskRun = {
        id: job.taskRunId,
        executionId: execution.id,
        namespace: flow.namespace,
        flowId: flow.id,
        taskId: job.task.id,
        attempts: [],
        state: { current: 'RUNNING', startDate: now(), histories: [] },
      };
      return { flow: { ...flow, tasks: [job.task] }, execution, taskRun, task: job.task };
    },
    ...opts,
  });
  const seen: ExecutorEvent[] = [];
  const byRun = (e: ExecutorEvent) => (e as { taskRunId?: string }).taskRunId;
  return {
    store,
    storage,
    worker,
    async submit(task, attempt = 1) {
      const taskRunId = `tr${++n}`;
      const payload: WorkerJobPayload = { type: 'job', executionId: execution.id, taskRunId, attempt, task };
      await store.enqueue([{ queue: 'worker', executionId: execution.id, payload }]);
      wakeup.notify();
      return taskRunId;
    },
    async waitFor(taskRunId, type) {
      for (;;) {
        const found = seen.find((e) => e.type === type && byRun(e) === taskRunId);
        if (found) return found as never;
        const messages = await store.claim('executor', 'test-executor', 100, 60_000);
        if (messages.length > 0) {
          seen.push(...messages.map((m) => m.payload as ExecutorEvent));
          await store.ack(messages.map((m) => m.id));
          continue;
        }
        await executorWakeup.wait(1000);
      }
    },
    async dispose() {
      await worker.stop({ drain: false });
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
