/**
 * Group commit of independent writes made at about the same time: the executions created by concurrent
 * API or webhook calls, the results of jobs ending together on a worker. The writes of one turn of the event loop go to the store in one transaction
 * (`Store.writeExecutions`, each write still all-or-nothing) instead of one transaction each: under a
 * burst of 50 concurrent calls, the commit, not the work, was the cost of a call.
 */
import { isEnvironmentError } from './errors.ts';
import { withStoreRetry } from './retry.ts';
import type { ExecutionWrite, Store } from './types.ts';

interface Pending {
  write: ExecutionWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WriteBatch {
  readonly #store: Store;
  #pending: Pending[] = [];

  constructor(store: Store) {
    this.#store = store;
  }

  /** Resolves once `write` is committed; rejects with its own error if it alone was rolled back. */
  write(write: ExecutionWrite): Promise<void> {
    const store = this.#store;
    if (!store.writeExecutions) return withStoreRetry(() => store.writeExecution(write));
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ write, resolve, reject });
      // setImmediate: after the I/O callbacks of this turn, so that the calls read together commit together.
      if (this.#pending.length === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    try {
      const errors = await withStoreRetry(() => this.#store.writeExecutions!(batch.map((p) => p.write)));
      batch.forEach((p, i) => {
        const error = errors[i];
        if (error) p.reject(error);
        else p.resolve();
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}

/**
 * Writes that must each be all-or-nothing, in one transaction when the store can group commits: the
 * error of each (undefined when committed), at its index. A failure of the database itself is thrown.
 */
export const writeEach = async (store: Store, writes: ExecutionWrite[]): Promise<(Error | undefined)[]> =>
  store.writeExecutions
    ? withStoreRetry(() => store.writeExecutions!(writes))
    : Promise.all(
        writes.map((w) =>
          store.writeExecution(w).then(
            () => undefined,
            (e: unknown) => {
              if (isEnvironmentError(e)) throw e;
              return e instanceof Error ? e : new Error(String(e));
            },
          ),
        ),
      );
