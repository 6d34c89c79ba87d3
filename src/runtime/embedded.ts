/**
 * Everything in one process on the embedded SQLite store: executor and worker wired together with
 * in-process wake-up signals. Used by `baton run` and, later, `baton server`.
 */
import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { isTerminal } from '../execution/types.ts';
import { findTaskInFlow, runIndex } from '../executor/context.ts';
import { FlowRepository } from '../executor/flows.ts';
import { ExecutorService } from '../executor/service.ts';
import { loadEncryptionKey, setEncryptionKey } from '../secrets/encryption.ts';
import { LocalStorage } from '../storage/local.ts';
import { openSqliteStore } from '../store/sqlite/index.ts';
import type { Store } from '../store/types.ts';
import { canonicalType } from '../tasks/registry.ts';
import { newId } from '../util/ids.ts';
import { WakeupSignal } from '../util/signal.ts';
import { Worker } from '../worker/worker.ts';
import { prepareDataDir, restrictFile } from './data-dir.ts';
import { recoverDeadOwners } from './recovery.ts';

/** `BATON_SQLITE_SYNCHRONOUS=FULL` trades some throughput for surviving power loss (see the store). */
const synchronousFromEnv = (): 'NORMAL' | 'FULL' | undefined => {
  const v = process.env.BATON_SQLITE_SYNCHRONOUS?.toUpperCase();
  if (v === undefined || v === '') return undefined;
  if (v !== 'NORMAL' && v !== 'FULL')
    throw new Error(`BATON_SQLITE_SYNCHRONOUS must be NORMAL or FULL, not ${v}`);
  return v;
};

const WORKING_DIRECTORY = 'io.kestra.plugin.core.flow.WorkingDirectory';

export interface EmbeddedOptions {
  /** Folder holding the database and internal storage. */
  dataDir: string;
  /** SQLite `synchronous` level (see the store for what each risks). */
  synchronous?: 'NORMAL' | 'FULL';
  /** Worker slots: how many runnable tasks run at once. */
  workerSlots?: number;
}

export interface Embedded {
  store: Store;
  storage: LocalStorage;
  flows: FlowRepository;
  executor: ExecutorService;
  worker: Worker;
  owner: string;
  /** Owners (dead processes of this machine) whose work this start took over. */
  recovered: string[];
  close(): Promise<void>;
}

export const openEmbedded = async (opts: EmbeddedOptions): Promise<Embedded> => {
  const dataDir = resolve(opts.dataDir);
  prepareDataDir(dataDir);
  const dbPath = join(dataDir, 'baton.db');
  const store = await openSqliteStore({
    path: dbPath,
    synchronous: opts.synchronous ?? synchronousFromEnv(),
  });
  await store.migrate();
  restrictFile(dbPath);
  const storage = new LocalStorage(join(dataDir, 'storage'));
  setEncryptionKey(loadEncryptionKey(join(dataDir, 'encryption.key')));
  const owner = `${hostname()}:${process.pid}:${newId().slice(0, 6)}`;
  const flows = new FlowRepository(store);
  const executorWakeup = new WakeupSignal();
  const workerWakeup = new WakeupSignal();
  let worker: Worker | undefined;
  const executor = new ExecutorService({
    store,
    flows,
    owner,
    wakeup: executorWakeup,
    workerWakeup,
    cancelJob: (taskRunId) => worker?.cancel(taskRunId),
    storeFile: (executionId, flow, inputId, value) =>
      storeInputFile(storage, executionId, flow, inputId, value),
    // SELECT inputs' `expression` may read the KV store, as in Kestra (`{{ kv('regions') }}`).
    expressionServices: {
      kv: (namespace, key, { errorOnMissing }) => {
        const entry = store.kvGetSync(namespace, key);
        if (!entry && errorOnMissing)
          throw new Error(`no value for key '${key}' in namespace '${namespace}'`);
        return entry?.value ?? null;
      },
    },
  });

  worker = new Worker({
    store,
    storage,
    workerId: owner,
    slots: opts.workerSlots,
    wakeup: workerWakeup,
    notifyExecutor: () => executorWakeup.notify(),
    loadJob: async (job) => {
      const execution = await executor.getExecution(job.executionId);
      if (!execution) throw new Error(`execution ${job.executionId} not found`);
      const flow = await flows.get(execution.namespace, execution.flowId, execution.flowRevision);
      // The executor's index of this execution (cached with its task runs): a lookup, not a scan per job.
      const taskRun = runIndex(flow, execution).get(job.taskRunId);
      if (!taskRun) throw new Error(`task run ${job.taskRunId} not found in execution ${job.executionId}`);
      return { flow, execution, taskRun, task: job.task };
    },
  });
  // A WorkingDirectory's shared folder outlives its children's jobs; it goes when the execution ends.
  executor.on('execution', (execution) => {
    if (!isTerminal(execution.state.current)) return;
    void flows
      .get(execution.namespace, execution.flowId, execution.flowRevision)
      .then(async (flow) => {
        for (const tr of execution.taskRuns) {
          if (canonicalType(findTaskInFlow(flow, tr.taskId)?.type ?? '') === WORKING_DIRECTORY) {
            await worker?.removeWorkingDirectory(tr.id);
          }
        }
      })
      .catch(() => undefined);
  });
  const recovered = await recoverDeadOwners(store);
  executor.start();
  worker.start();
  return {
    store,
    storage,
    flows,
    executor,
    worker,
    owner,
    recovered,
    async close() {
      await worker?.stop();
      await executor.stop();
      await store.close();
    },
  };
};

/**
 * FILE inputs: `{ path }` (a local file named on the command line) or a string (its content) is copied to
 * internal storage under the execution's `inputs/<id>/` folder; a `kestra:///` URI is kept as is.
 */
const storeInputFile = async (
  storage: LocalStorage,
  executionId: string,
  flow: { namespace: string; id: string },
  inputId: string,
  value: unknown,
): Promise<unknown> => {
  if (typeof value === 'string' && value.startsWith('kestra:///')) return value;
  const ref = { namespace: flow.namespace, flowId: flow.id, executionId, inputId };
  if (value && typeof value === 'object' && typeof (value as { path?: unknown }).path === 'string') {
    const path = (value as { path: string }).path;
    return storage.put({ ...ref, fileName: basename(path) }, createReadStream(path));
  }
  if (typeof value === 'string' || Buffer.isBuffer(value))
    return storage.put({ ...ref, fileName: inputId }, value);
  return value;
};
