/** What a worker is built with (see worker.ts). */

import type { SecretCipher } from '../secrets/encryption.ts';
import type { SecretProvider } from '../secrets/index.ts';
import type { LocalStorage } from '../storage/local.ts';
import type { Store } from '../store/types.ts';
import type { TaskRegistry } from '../tasks/registry.ts';
import type { RunnerLoader } from '../tasks/runners.ts';
import type { ClaimLag } from '../util/claim-lag.ts';
import type { WakeupSignal } from '../util/signal.ts';
import type { ContextServices } from './context.ts';
import type { LoadedJob, WorkerJobPayload } from './types.ts';

export interface WorkerOptions {
  store: Store;
  storage: LocalStorage;
  workerId: string;
  /** The engine's key: SECRET inputs and sealed values are opened, secrets obtained sealed, with it. */
  cipher: SecretCipher;
  /** The engine's `envs` (ENV_ variables taken when it opened). */
  envs: Readonly<Record<string, string>>;
  /** Jobs run at once. Most core tasks wait on I/O (ten parallel Sleeps must all run at once). */
  slots?: number;
  /** Claims only jobs of this worker group (a task's `workerGroup.key`); none: jobs of no group. */
  workerGroup?: string;
  loadJob(payload: WorkerJobPayload): Promise<LoadedJob>;
  /** Told of every batch of jobs this worker claims: the heartbeat reports how long they waited. */
  claimLag?: ClaimLag;
  /** In-process signal fired when worker messages are enqueued. */
  wakeup?: WakeupSignal;
  /** Called after results are enqueued, so an in-process executor picks them up at once. */
  notifyExecutor?: () => void;
  secrets?: SecretProvider;
  /** Asks the executor to resume an execution; defaults to enqueueing a `resume` event. */
  resumeExecution?: (executionId: string, inputs?: Record<string, unknown>) => Promise<void>;
  expressionServices?: ContextServices['expressionServices'];
  /** Time limit of one jq filter in a rendered property (default JQ_TIME_LIMIT_MS). */
  jqTimeLimitMs?: number;
  /** Where job folders are created (default: `<tmp>/baton-worker`). */
  workingDirRoot?: string;
  leaseMs?: number;
  pollMs?: number;
  logFlushMs?: number;
  runners?: Record<string, RunnerLoader>;
  /** The engine's task types (the built-in ones unless it has custom types). */
  registry?: TaskRegistry;
  /**
   * Errors of the worker itself: a database failure it could not get past (StoreUnavailableError, the
   * process should stop) or a transient one it will retry on its own. Defaults to stderr.
   */
  onError?: (error: unknown) => void;
}
