/** What an ExecutorService is made of: its store, flows, this process's identity and its I/O hooks. */

import type { Execution, TaskRun } from '../execution/types.ts';
import type { ExpressionServices, LookupSources } from '../expression/index.ts';
import type { Flow } from '../flow/types.ts';
import type { SecretCipher } from '../secrets/encryption.ts';
import type { ExecutionWrite, QueueMessage, Store } from '../store/types.ts';
import type { ClaimLag } from '../util/claim-lag.ts';
import type { WakeupSignal } from '../util/signal.ts';
import type { FlowRepository } from './flows.ts';
import type { StepTrace } from './step-trace.ts';
import type { SideEffect } from './types.ts';

export interface ExecutorServiceOptions {
  store: Store;
  flows: FlowRepository;
  /** Identifies this process in queue leases: `host:pid:nonce`. */
  owner: string;
  /** This engine's key: what it stores encrypted (SECRET values) it encrypts and opens with it. */
  cipher: SecretCipher;
  /** This engine's `envs` (ENV_ variables taken when it opened, see envVariables). */
  envs: Readonly<Record<string, string>>;
  wakeup: WakeupSignal;
  workerWakeup: WakeupSignal;
  /** Told of every batch this executor claims: the heartbeat reports how long they waited. */
  claimLag?: ClaimLag;
  /** Cancels a job running in this process (kill, timeout of a flowable parent). */
  cancelJob?: (taskRunId: string) => void;
  /**
   * Whether a live worker of this group exists (a task's `workerGroup.key`): when none does, the task's
   * `workerGroup.fallback` decides (see effects.ts). Absent: every group is taken as served.
   */
  workerGroupLive?: (group: string) => Promise<boolean>;
  /** Puts a FILE input of a subflow into internal storage. */
  storeFile?: (executionId: string, flow: Flow, inputId: string, value: unknown) => Promise<unknown>;
  /** Where `kv()`... of SELECT inputs' `expression` and of defaults get their answers (asynchronously). */
  lookups?: LookupSources;
  /** Synchronous expression services, over those of `lookups` (tests). */
  expressionServices?: ExpressionServices;
  /**
   * Told of what the executor handled itself but a person may want to know (an execution given up on,
   * a flow trigger not evaluated) and of database failures it cannot get past (StoreUnavailableError:
   * the process should stop). Defaults to stderr.
   */
  onError?: (error: unknown) => void;
}

/** One step the executor computed, before its write commits. */
export interface PreparedStep {
  executionId: string;
  /** The messages the step consumes. */
  group: QueueMessage[];
  write: ExecutionWrite;
  /** The execution after the step (absent when the messages were about nothing that exists). */
  after?: Execution;
  effects: SideEffect[];
  changed: TaskRun[];
  ended: boolean;
  /** The step's span, when traces are on (step-trace.ts). */
  trace?: StepTrace;
}
