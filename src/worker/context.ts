/** Builds the `TaskRunContext` a runnable sees, from a loaded job and the worker's services. */
import { buildRenderContext } from '../executor/context.ts';
import type { ExpressionServices, RenderContext } from '../expression/index.ts';
import { renderString, renderValue } from '../expression/index.ts';
import { requireSecret, type SecretProvider } from '../secrets/index.ts';
import type { LocalStorage } from '../storage/local.ts';
import { NamespaceFiles } from '../storage/namespace-files.ts';
import { StorageNotFoundError } from '../storage/uri.ts';
import type { Store } from '../store/types.ts';
import type { TaskRunContext } from '../tasks/context.ts';
import type { JobLogger } from './logger.ts';
import type { LoadedJob, WorkerJobPayload } from './types.ts';

export interface ContextServices {
  store: Store;
  storage: LocalStorage;
  secrets: SecretProvider;
  resumeExecution(executionId: string, inputs?: Record<string, unknown>): Promise<void>;
  /** Extra expression services (sync `kv`, `read`...), merged over the worker's own `secret`. */
  expressionServices?: ExpressionServices;
}

/**
 * `kv()`, `read()`, `fileSize()`, `fileExists()` for expressions: synchronous reads of the store and
 * storage when offered. `read('path/file.txt')` (no `kestra://`) reads a namespace file of the flow's
 * namespace, as in Kestra.
 */
const defaultServices = (services: ContextServices, namespace: string): ExpressionServices => {
  const files = new NamespaceFiles(services.storage, namespace);
  const out: ExpressionServices = {
    read: (path) =>
      services.storage.getSync(path.startsWith('kestra://') ? path : files.uri(path)).toString('utf8'),
    fileSize: (uri) => services.storage.sizeSync(uri),
    fileExists: (uri) => {
      try {
        services.storage.sizeSync(uri);
        return true;
      } catch (err) {
        if (err instanceof StorageNotFoundError) return false;
        throw err;
      }
    },
  };
  const store = services.store as Store & {
    kvGetSync?: (ns: string, key: string) => { value: unknown } | undefined;
  };
  if (typeof store.kvGetSync === 'function') {
    const kvGetSync = store.kvGetSync.bind(store);
    out.kv = (namespace, key, { errorOnMissing }) => {
      const entry = kvGetSync(namespace, key);
      if (!entry && errorOnMissing) throw new Error(`no value for key '${key}' in namespace '${namespace}'`);
      return entry?.value ?? null;
    };
  }
  return out;
};

export const createTaskRunContext = (args: {
  job: LoadedJob;
  payload: WorkerJobPayload;
  logger: JobLogger;
  signal: AbortSignal;
  /** Makes (once) and returns the job's folder. */
  workingDir: () => string;
  services: ContextServices;
}): TaskRunContext => {
  const { job, payload, logger, signal, workingDir, services } = args;
  const masker = logger.masker;
  const secret = (key: string): string => {
    const value = requireSecret(services.secrets, key);
    masker.add(value);
    return value;
  };
  // Secrets read by `{{ secret('X') }}` while rendering are masked as well as those read by the task.
  const expressionServices: ExpressionServices = {
    ...defaultServices(services, job.flow.namespace),
    ...services.expressionServices,
    secret,
  };
  const variables = buildRenderContext(job.flow, job.execution, job.taskRun, job.task) as RenderContext;
  const renderWith = (value: unknown, extra: Record<string, unknown>): unknown =>
    renderValue(value, { ...variables, ...extra }, { services: expressionServices });
  return {
    flow: job.flow,
    execution: job.execution,
    taskRun: job.taskRun,
    task: job.task,
    attempt: payload.attempt,
    idempotencyKey: `${payload.executionId}:${payload.taskRunId}:${payload.attempt}`,
    variables,
    render: (value) => renderValue(value, variables, { services: expressionServices }),
    renderWith,
    renderString: (template) => renderString(template, variables, { services: expressionServices }),
    logger,
    metric: (name, value, type, tags) => logger.metric(name, value, type, tags),
    signal,
    get workingDir() {
      return workingDir();
    },
    store: services.store,
    storage: services.storage,
    secret,
    resumeExecution: services.resumeExecution,
  };
};
