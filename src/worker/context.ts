/** Builds the `TaskRunContext` a runnable sees, from a loaded job and the worker's services. */
import { buildRenderContext } from '../executor/context.ts';
import type { ExpressionServices, LookupSources, RenderContext } from '../expression/index.ts';
import { Lookups, renderString, renderValue } from '../expression/index.ts';
import { runJqAsync } from '../expression/jq.ts';
import type { SecretCipher } from '../secrets/encryption.ts';
import { requireSecret, type SecretProvider } from '../secrets/index.ts';
import type { LocalStorage } from '../storage/local.ts';
import { NamespaceFiles } from '../storage/namespace-files.ts';
import type { Store } from '../store/types.ts';
import type { TaskRunContext } from '../tasks/context.ts';
import type { TaskRegistry } from '../tasks/registry.ts';
import type { JobLogger } from './logger.ts';
import { taskFlows } from './task-flows.ts';
import type { LoadedJob, WorkerJobPayload } from './types.ts';

export interface ContextServices {
  store: Store;
  storage: LocalStorage;
  secrets: SecretProvider;
  resumeExecution(executionId: string, inputs?: Record<string, unknown>): Promise<void>;
  /** Extra synchronous expression services, merged over the lookups and under the worker's `secret`. */
  expressionServices?: ExpressionServices;
  /** Time limit of one jq filter (default JQ_TIME_LIMIT_MS). */
  jqTimeLimitMs?: number;
  /** The engine's key: the task's expression context sees SECRET inputs and sealed values opened. */
  cipher: SecretCipher;
  /** The engine's `envs`. */
  envs: Readonly<Record<string, string>>;
  /** The engine's task types: flows a task saves (`ctx.flows`) are checked against them. */
  registry?: TaskRegistry;
}

/**
 * Where `kv()`, `read()`, `fileSize()`, `fileExists()`, `errorLogs()` and jq get their answers: the
 * asynchronous APIs of the store and the storage (any backend, a network database included), and jq in its
 * worker thread. Rendered through `Lookups`, so that nothing blocks the process. `read('path/file.txt')`
 * (no `kestra://`) reads a namespace file of `namespace`, as in Kestra.
 */
export const lookupSources = (
  store: Store,
  storage: LocalStorage,
  executionId: string,
  jqTimeLimitMs?: number,
  namespace?: string,
): LookupSources => new JobSources(store, storage, executionId, jqTimeLimitMs, namespace);

/** One per job: methods rather than closures, so that it holds nothing but these fields. */
class JobSources implements LookupSources {
  readonly #store: Store;
  readonly #storage: LocalStorage;
  readonly #executionId: string;
  readonly #jqTimeLimitMs: number | undefined;
  readonly #namespace: string | undefined;

  constructor(
    store: Store,
    storage: LocalStorage,
    executionId: string,
    jqTimeLimitMs: number | undefined,
    namespace: string | undefined,
  ) {
    this.#store = store;
    this.#storage = storage;
    this.#executionId = executionId;
    this.#jqTimeLimitMs = jqTimeLimitMs;
    this.#namespace = namespace;
  }

  async kv(namespace: string, key: string): Promise<{ value: unknown } | undefined> {
    const entry = await this.#store.kvGet(namespace, key);
    return entry && { value: entry.value };
  }

  async read(path: string): Promise<string> {
    const uri =
      path.startsWith('kestra://') || this.#namespace === undefined
        ? path
        : new NamespaceFiles(this.#storage, this.#namespace).uri(path);
    return (await this.#storage.get(uri)).toString('utf8');
  }

  fileSize(uri: string): Promise<number> {
    return this.#storage.size(uri);
  }

  fileExists(uri: string): Promise<boolean> {
    return this.#storage.exists(uri);
  }

  async errorLogs(): Promise<unknown[]> {
    const logs = await this.#store.queryLogs({ executionId: this.#executionId, minLevel: 'ERROR' });
    return logs.map(({ seq: _seq, ...entry }) => entry);
  }

  jq(input: unknown, filter: string): Promise<unknown[]> {
    return runJqAsync(input, filter, { limitMs: this.#jqTimeLimitMs });
  }
}

/**
 * The lookup services of every job's context, answering from the job's Lookups (every render of a
 * context goes through its `sync` or `run`): one set for all jobs, not closures made for each (see
 * `Lookups.sharedServices`).
 */
const JOB_LOOKUPS = Lookups.sharedServices(JobSources.prototype);

export const createTaskRunContext = (args: {
  job: LoadedJob;
  payload: WorkerJobPayload;
  logger: JobLogger;
  signal: AbortSignal;
  /** Makes (once) and returns the job's folder. */
  workingDir: () => string;
  services: ContextServices;
  /** Records a process group the task started (see TaskRunContext.processStarted). */
  processStarted?: (pgid: number) => Promise<void>;
}): TaskRunContext => {
  const { job, payload, logger, signal, workingDir, services, processStarted } = args;
  const masker = logger.masker;
  const secret = (key: string): string => {
    const value = requireSecret(services.secrets, key);
    masker.add(value);
    return value;
  };
  // One cache per job: what the worker looked up to render the properties serves the task's own renders.
  const lookups = new Lookups(
    lookupSources(
      services.store,
      services.storage,
      job.execution.id,
      services.jqTimeLimitMs,
      job.flow.namespace,
    ),
  );
  // Secrets read by `{{ secret('X') }}` while rendering are masked as well as those read by the task.
  const expressionServices: ExpressionServices = {
    ...JOB_LOOKUPS,
    ...services.expressionServices,
    secret,
  };
  const opts = { services: expressionServices };
  const variables = buildRenderContext(job.flow, job.execution, job.taskRun, job.task, {
    cipher: services.cipher,
    envs: services.envs,
  }) as RenderContext;
  const renderWith = (value: unknown, extra: Record<string, unknown>): unknown =>
    lookups.sync(() => renderValue(value, { ...variables, ...extra }, opts));
  const ctx: Omit<TaskRunContext, 'workingDir'> = {
    flow: job.flow,
    execution: job.execution,
    taskRun: job.taskRun,
    task: job.task,
    attempt: payload.attempt,
    idempotencyKey: `${payload.executionId}:${payload.taskRunId}:${payload.attempt}`,
    variables,
    render: (value) => lookups.sync(() => renderValue(value, variables, opts)),
    renderWith,
    renderString: (template) => lookups.sync(() => renderString(template, variables, opts)),
    renderAsync: (value, extra = {}) => lookups.run(() => renderWith(value, extra)),
    renderStringAsync: (template, extra = {}) =>
      lookups.run(() => renderString(template, { ...variables, ...extra }, opts)),
    withLookups: (render) => lookups.run(render),
    logger,
    metric: (name, value, type, tags) => logger.metric(name, value, type, tags),
    signal,
    ...(processStarted ? { processStarted } : {}),
    store: services.store,
    storage: services.storage,
    secret,
    resumeExecution: services.resumeExecution,
    flows: taskFlows(services.store, services.registry, job.execution.id),
  };
  Object.defineProperty(ctx, MAKE_DIR, { value: workingDir });
  Object.defineProperty(ctx, 'workingDir', { get: workingDirGetter, enumerable: true, configurable: true });
  return ctx as TaskRunContext;
};

const MAKE_DIR = Symbol('makeWorkingDir');

/**
 * `ctx.workingDir`, the job's folder, made on first use: one getter shared by every context. A getter
 * written in the context's object literal is a new function per job, and V8 keeps such per-object
 * accessors in the old generation, from where that function (and through it every variable of the job)
 * outlived young-generation collections: a ForEach over 100,000 values peaked at 630 MB instead of 480.
 */
function workingDirGetter(this: { [MAKE_DIR]: () => string }): string {
  return this[MAKE_DIR]();
}
