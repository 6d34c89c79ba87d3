/**
 * Everything in one process on the embedded SQLite store: executor and worker wired together with
 * in-process wake-up signals. Used by `baton run` and, later, `baton server`.
 *
 * Errors of the executor and the worker come here. A database failure they could not get past (full,
 * read-only, damaged, locked for good) calls `onFatal` once with one message saying what to do: the
 * process should stop (nothing is half-written, every step being one transaction). Transient ones are
 * retried where they happen; anything else is a notice for stderr.
 */

import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { BatonError } from '../errors.ts';
import { isTerminal } from '../execution/types.ts';
import { envVariables, findTaskInFlow, runIndex } from '../executor/context.ts';
import { FlowRepository } from '../executor/flows.ts';
import { ExecutorService } from '../executor/service.ts';
import { loadEncryptionKey, type SecretCipher, secretCipher } from '../secrets/encryption.ts';
import { LocalStorage } from '../storage/local.ts';
import {
  describeStoreFailure,
  type StoreFailure,
  StoreUnavailableError,
  storeFailureOf,
} from '../store/errors.ts';
import { describeLocation, isPostgresUrl, openStore as openStoreAt } from '../store/open.ts';
import type { QueueName, Store } from '../store/types.ts';
import { canonicalType, type TaskRegistry } from '../tasks/registry.ts';
import { runners as defaultRunners, type RunnerLoader } from '../tasks/runners.ts';
import { startTracing, stopTracing } from '../tracing/tracing.ts';
import { ClaimLag } from '../util/claim-lag.ts';
import { newId } from '../util/ids.ts';
import { WakeupSignal } from '../util/signal.ts';
import { Worker } from '../worker/worker.ts';
import { diskFull, freeBytes, MIN_FREE_BYTES, prepareDataDir, restrictFile } from './data-dir.ts';
import { Heartbeat, heartbeatTiming, liveWorkerOfGroup } from './heartbeat.ts';
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
  /** Folder holding the database (unless `database` is given) and internal storage. */
  dataDir: string;
  /**
   * The database: a `postgres://` URL (the PostgreSQL store, which other processes may share) or the
   * path of a SQLite file. Default: `baton.db` in the data folder. See src/store/open.ts.
   */
  database?: string;
  /** SQLite `synchronous` level (see the store for what each risks). */
  synchronous?: 'NORMAL' | 'FULL';
  /** Worker slots: how many runnable tasks run at once. */
  workerSlots?: number;
  /**
   * The key encrypting SECRET values at rest, given by the caller (tests, an embedding program) instead of
   * BATON_ENCRYPTION_KEY or the data folder's key file. It is this engine's own: engines opened at once
   * in one process may each have another.
   */
  encryptionKey?: Buffer;
  /**
   * The environment whose `ENV_` variables flows read as `envs` (`process.env` by default), taken when
   * the engine opens: each engine has its own.
   */
  env?: NodeJS.ProcessEnv;
  /** Task types of this engine (built-in plus custom ones) and the implementations of the custom ones. */
  registry?: TaskRegistry;
  runners?: Record<string, RunnerLoader>;
  /** SQLite busy timeout (see the store); tests shorten it to meet a lock sooner. */
  busyTimeoutMs?: number;
  /** A cap on the database size (see the store): beyond it, writes fail as on a full disk. */
  maxSizeBytes?: number;
  /**
   * Which consumers this process starts (both by default). `baton server --roles` leaves one out to run
   * it in another process; the parts not started are still built, for the API to send events through.
   */
  start?: { executor?: boolean; worker?: boolean };
  /** The worker group whose jobs this process's worker claims (none: the default group). */
  workerGroup?: string;
  /**
   * How this process shows in the cluster (`baton cluster`): its roles (default: the consumers it
   * starts), and whether it takes over the executions of processes found dead (a server's executor; a
   * `baton run`, which should exit soon, does not).
   */
  instance?: { roles?: string[]; adopt?: boolean };
  /** The database cannot be used any more: the process should stop, saying `error.message`. */
  onFatal?: (error: FatalStoreError) => void;
  /** Notices (an execution given up on, a flow trigger not started...). Defaults to stderr. */
  onNotice?: (message: string) => void;
}

/** The database cannot be used; the message says what happened and what to do. Retrying cannot help. */
export class FatalStoreError extends BatonError {
  constructor(message: string, cause: unknown) {
    super('STORE', message, { cause });
  }
}

export interface Embedded {
  store: Store;
  storage: LocalStorage;
  flows: FlowRepository;
  executor: ExecutorService;
  worker: Worker;
  owner: string;
  /** How long the messages this process claimed lately waited (its queue lag, in the heartbeat too). */
  claimLag: ClaimLag;
  /** This engine's key: what it stored encrypted is opened with it (and with no other engine's). */
  cipher: SecretCipher;
  /** This engine's `envs`: the ENV_ variables of its environment when it opened. */
  envs: Readonly<Record<string, string>>;
  /** Owners (dead processes of this machine) whose work this start took over. */
  recovered: string[];
  /** Executions this start took over from them (it finishes them before it exits). */
  adopted: string[];
  /**
   * Stops the worker and the executor and closes the store. `drain: false` stops the running jobs at
   * once (their scripts killed) and releases them, for another process to run again.
   */
  close(options?: { drain?: boolean }): Promise<void>;
}

export const openEmbedded = async (opts: EmbeddedOptions): Promise<Embedded> => {
  const dataDir = resolve(opts.dataDir);
  prepareDataDir(dataDir);
  const dbPath = opts.database ?? join(dataDir, 'baton.db');
  const free = freeBytes(dataDir);
  if (!isPostgresUrl(dbPath) && free !== undefined && free < MIN_FREE_BYTES) {
    const failure = { kind: 'full', code: 'ENOSPC', detail: `${free} bytes left`, retryable: false } as const;
    throw new FatalStoreError(describeStoreFailure(failure, dbPath), undefined);
  }
  const { store, where } = await openStore(dbPath, opts);
  const storage = new LocalStorage(join(dataDir, 'storage'));
  let cipher: SecretCipher;
  try {
    cipher = secretCipher(opts.encryptionKey ?? loadEncryptionKey(join(dataDir, 'encryption.key')));
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  const envs = envVariables(opts.env);
  const owner = `${hostname()}:${process.pid}:${newId().slice(0, 6)}`;
  let fatal: FatalStoreError | undefined;
  const onError = (error: unknown) => {
    const failure = storeFailureOf(error);
    if (failure && (error instanceof StoreUnavailableError || !failure.retryable)) {
      if (fatal) return;
      fatal = new FatalStoreError(describeStoreFailure(onDisk(failure, dataDir), where), error);
      // Nothing more can be recorded: no job is claimed or run any more (a job whose result could not
      // be written would otherwise be claimed again when its lease runs out, and run again, and again).
      // Running jobs are stopped and left to the next start, like a crash.
      void worker?.stop({ drain: false });
      void executor.stop();
      if (opts.onFatal) opts.onFatal(fatal);
      else console.error(`baton: ${fatal.message}`);
    } else if (!failure) {
      const message = error instanceof Error ? error.message : String(error);
      if (opts.onNotice) opts.onNotice(message);
      else console.error(`baton: ${message}`);
    }
    // A transient failure (a lock) is retried where it happened: nothing to say.
  };
  const flows = new FlowRepository(store, opts.registry);
  const executorWakeup = new WakeupSignal();
  const workerWakeup = new WakeupSignal();
  // One figure per process (its executor's and worker's claims alike), over about one heartbeat; at
  // least a second, so that with short test beats a figure is not gone before anyone can read it.
  const claimLag = new ClaimLag(Math.max(1000, heartbeatTiming().beatMs));
  let worker: Worker | undefined;
  const executor = new ExecutorService({
    store,
    flows,
    owner,
    cipher,
    envs,
    onError,
    wakeup: executorWakeup,
    workerWakeup,
    claimLag,
    cancelJob: (taskRunId) => worker?.cancel(taskRunId),
    workerGroupLive: (group) => liveWorkerOfGroup(store, group),
    storeFile: (executionId, flow, inputId, value) =>
      storeInputFile(storage, executionId, flow, inputId, value),
    // SELECT inputs' `expression` may read the KV store, as in Kestra (`{{ kv('regions') }}`).
    lookups: {
      kv: async (namespace, key) => {
        const entry = await store.kvGet(namespace, key);
        return entry && { value: entry.value };
      },
    },
  });

  worker = new Worker({
    registry: opts.registry,
    runners: opts.runners ? { ...defaultRunners, ...opts.runners } : undefined,
    store,
    storage,
    workerId: owner,
    cipher,
    envs,
    slots: opts.workerSlots,
    workerGroup: opts.workerGroup,
    onError,
    wakeup: workerWakeup,
    claimLag,
    notifyExecutor: () => executorWakeup.notify(),
    loadJob: async (job) => {
      // The copy the job was decided on, when this process's executor still holds it: a store read less.
      const cached = job.version === undefined ? undefined : executor.cachedAt(job.executionId, job.version);
      const execution = cached ?? (await executor.getExecution(job.executionId));
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
  // Taking over and beating write: a database that cannot be written stops the start with its one message.
  const fatalAtStart = async (error: unknown): Promise<never> => {
    const failure = storeFailureOf(error);
    await store.close().catch(() => undefined);
    if (!failure) throw error;
    throw new FatalStoreError(describeStoreFailure(onDisk(failure, dataDir), where), error);
  };
  const recovery = await recoverDeadOwners(store, owner).catch(fatalAtStart);
  const runsExecutor = opts.start?.executor !== false;
  const runsWorker = opts.start?.worker !== false;
  const heartbeat = new Heartbeat({
    store,
    id: owner,
    roles: opts.instance?.roles ?? [...(runsExecutor ? ['executor'] : []), ...(runsWorker ? ['worker'] : [])],
    workerGroup: opts.workerGroup,
    slots: runsWorker ? worker.slots : 0,
    busy: () => worker?.runningCount ?? 0,
    queueLagMs: () => claimLag.lagMs(),
    adopt: runsExecutor && opts.instance?.adopt === true,
    onNotice: (message) => (opts.onNotice ? opts.onNotice(message) : console.error(`baton: ${message}`)),
    onError,
  });
  await heartbeat.start().catch(fatalAtStart);
  // Before the loops start, so that their first steps are traced; the SDK loads only if OTEL_* asks.
  const traced = await startTracing(owner).catch((error: unknown) => {
    opts.onNotice?.(`traces are off: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  });
  const stopListening = await listenToQueues(store, opts, executorWakeup, workerWakeup);
  if (runsExecutor) executor.start();
  if (runsWorker) worker.start();
  return {
    store,
    storage,
    flows,
    executor,
    worker,
    owner,
    claimLag,
    cipher,
    envs,
    recovered: recovery.deadOwners,
    adopted: recovery.adopted,
    async close(options = {}) {
      await stopListening();
      await worker?.stop({ drain: options.drain });
      await executor.stop();
      await heartbeat.stop();
      await store.close();
      // The spans not exported yet (the last steps'): sent before the process ends.
      if (traced) await stopTracing().catch(() => undefined);
    },
  };
};

/**
 * A store shared by processes (PostgreSQL) tells of messages enqueued by the others (`Store.onQueue`):
 * the consumers started here wake at once instead of at their next poll (up to 0.5 s for the executor,
 * 1 s for the worker, per hop between processes). A hint only: if listening fails, they still poll.
 */
const listenToQueues = async (
  store: Store,
  opts: EmbeddedOptions,
  executorWakeup: WakeupSignal,
  workerWakeup: WakeupSignal,
): Promise<() => Promise<void>> => {
  if (!store.onQueue) return async () => undefined;
  const wanted: [QueueName, WakeupSignal][] = [];
  if (opts.start?.executor !== false) wanted.push(['executor', executorWakeup]);
  if (opts.start?.worker !== false) wanted.push(['worker', workerWakeup]);
  const stops: (() => Promise<void>)[] = [];
  const notice = (message: string) =>
    opts.onNotice ? opts.onNotice(message) : console.error(`baton: ${message}`);
  try {
    for (const [queue, signal] of wanted)
      stops.push(await store.onQueue(queue, () => signal.notify(), notice));
  } catch (error) {
    notice(`not listening for queue notifications, polling only: ${(error as Error).message}`);
  }
  return async () => {
    for (const stop of stops) await stop().catch(() => undefined);
  };
};

/**
 * SQLite reports some writes on a full disk as I/O errors (creating the WAL index of a database opened
 * again): when the disk is in fact full, that is what to say, not that it may be failing.
 */
const onDisk = (failure: StoreFailure, dataDir: string): StoreFailure =>
  failure.kind === 'io' && diskFull(dataDir) ? { ...failure, kind: 'full' } : failure;

/**
 * Opens and migrates the database (a SQLite file or a PostgreSQL URL); one clear message when it cannot
 * be (read-only, damaged, unreachable...).
 */
const openStore = async (dbPath: string, opts: EmbeddedOptions): Promise<{ store: Store; where: string }> => {
  let opened: Awaited<ReturnType<typeof openStoreAt>> | undefined;
  try {
    opened = await openStoreAt(dbPath, {
      synchronous: opts.synchronous ?? synchronousFromEnv(),
      busyTimeoutMs: opts.busyTimeoutMs,
      maxSizeBytes: opts.maxSizeBytes,
    });
    if (opened.kind === 'sqlite') restrictFile(dbPath);
    return opened;
  } catch (error) {
    await opened?.store.close();
    const failure = storeFailureOf(error) ?? storeFailureOf((error as Error).cause);
    if (!failure) throw error;
    if (isPostgresUrl(dbPath))
      throw new FatalStoreError(describeStoreFailure(failure, describeLocation(dbPath)), error);
    throw new FatalStoreError(describeStoreFailure(onDisk(failure, dirname(dbPath)), dbPath), error);
  }
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
