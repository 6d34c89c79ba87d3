/**
 * The executor's handling of steps that fail (I/O shell of failures.ts). A failed step is tried again
 * after a growing wait, its messages held meanwhile (so that neither another process nor a newer message
 * of the same execution goes first); when it keeps failing, or cannot be handled at all (a damaged
 * message), the execution ends FAILED with the reason in its logs and its messages are moved aside.
 * A failure of the database itself never counts against the messages: it is waited out.
 */
import { BatonError } from '../errors.ts';
import { type Execution, isTerminal, type TaskRun } from '../execution/types.ts';
import type { Flow } from '../flow/types.ts';
import { isEnvironmentError } from '../store/errors.ts';
import { withStoreRetry } from '../store/retry.ts';
import type { ExecutionWrite, QueueMessage, Store } from '../store/types.ts';
import { nextQueuedExecution } from './concurrency.ts';
import { giveUpWrite, MAX_STEP_ATTEMPTS, retryDelay } from './failures.ts';

export interface StepFailure {
  executionId: string;
  group: QueueMessage[];
  /** What failed, for a step that was tried. */
  error?: unknown;
  /** Why, for messages that must not be tried (again). */
  reason?: string;
  /** Give up at once: trying again cannot help. */
  final?: boolean;
}

export interface FailedStepsDeps {
  store: Store;
  owner: string;
  getExecution(id: string): Promise<Execution | undefined>;
  flowOf(execution: Execution): Promise<Flow>;
  report(error: unknown): void;
  /** The execution ended FAILED by giving up (committed): update caches, cancel jobs, tell listeners. */
  gaveUp(after: Execution, changed: TaskRun[], cancel: string[]): void;
}

/** An execution given up on: the executor handled it, this says what happened and where to look. */
export class ExecutionGivenUpError extends BatonError {
  readonly executionId: string;
  constructor(executionId: string, reason: string) {
    super(
      'INTERNAL',
      `execution ${executionId} FAILED: ${reason} (see baton executions show ${executionId})`,
    );
    this.executionId = executionId;
  }
}

const text = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class FailedSteps {
  private readonly deps: FailedStepsDeps;
  /** Executions whose failed step waits to be tried again, until when (epoch ms). */
  private readonly waiting = new Map<string, number>();

  constructor(deps: FailedStepsDeps) {
    this.deps = deps;
  }

  /**
   * Whether the execution's step waits to be tried again: then the newly claimed messages are held
   * with the failed ones, to be handled together, in order, when the wait is over.
   */
  async holdIfWaiting(executionId: string, group: QueueMessage[]): Promise<boolean> {
    const until = this.waiting.get(executionId);
    if (until === undefined) return false;
    const left = until - Date.now();
    if (left <= 0) {
      this.waiting.delete(executionId);
      return false;
    }
    await this.hold(group, left);
    return true;
  }

  async handle(failure: StepFailure): Promise<void> {
    const { executionId, group, error } = failure;
    const attempts = Math.max(...group.map((m) => m.attempts));
    const environment = error !== undefined && isEnvironmentError(error);
    if (!failure.final && (environment || attempts < MAX_STEP_ATTEMPTS)) {
      const delay = retryDelay(attempts);
      this.waiting.set(executionId, Date.now() + delay);
      await this.hold(group, delay);
      if (environment) this.deps.report(error);
      return;
    }
    this.waiting.delete(executionId);
    const reason =
      failure.reason ?? `the next step could not be computed (tried ${attempts} times): ${text(error)}`;
    await this.giveUp(executionId, group, reason);
  }

  /** Keeps the messages claimed (by this process) for `ms` more: nobody takes them meanwhile. */
  private async hold(group: QueueMessage[], ms: number): Promise<void> {
    const { store, owner } = this.deps;
    await withStoreRetry(() =>
      store.extendLease(
        group.map((m) => m.id),
        owner,
        ms,
      ),
    );
  }

  private async giveUp(executionId: string, group: QueueMessage[], reason: string): Promise<void> {
    const { store } = this.deps;
    let execution: Execution | undefined;
    let why = reason;
    try {
      execution = await this.deps.getExecution(executionId);
    } catch (error) {
      if (isEnvironmentError(error)) throw error;
      why = `${reason}; the execution itself cannot be read: ${text(error)}`;
    }
    const out = giveUpWrite({ executionId, execution, group, reason: why, now: Date.now() });
    if (out.after && execution && !isTerminal(execution.state.current))
      await this.admitNext(out.after, out.write);
    try {
      await withStoreRetry(() => store.writeExecution(out.write));
    } catch (error) {
      if (isEnvironmentError(error)) throw error;
      // The execution cannot be written either (a damaged row): at least its messages go aside.
      const deadLetters = out.write.deadLetters;
      await withStoreRetry(() => store.writeExecution({ deadLetters }));
      this.deps.report(
        new ExecutionGivenUpError(executionId, `${why}; it could not be marked FAILED: ${text(error)}`),
      );
      return;
    }
    if (out.after) this.deps.gaveUp(out.after, out.changed, out.cancel);
    this.deps.report(new ExecutionGivenUpError(executionId, why));
  }

  /** The execution frees its flow's concurrency slot: the next queued one may start (best effort). */
  private async admitNext(after: Execution, write: ExecutionWrite): Promise<void> {
    try {
      const queued = await nextQueuedExecution(this.deps.store, await this.deps.flowOf(after), after.id);
      if (queued)
        write.enqueue?.push({ queue: 'executor', executionId: queued, payload: { type: 'created' } });
    } catch {
      // The flow may be what cannot be read: its queued executions start when another one ends.
    }
  }
}
