/**
 * Retrying a store operation while the database itself fails in a way that waiting can help (another
 * process holds the lock beyond the busy timeout). Each attempt is a whole transaction, so a failed one
 * left nothing behind and running it again is safe.
 */
import { StoreUnavailableError, storeFailureOf } from './errors.ts';

/**
 * How long an operation is retried before giving up. Bounded so that a database locked for good stops
 * the process with a message instead of hanging it; kept well under the executor's 30 s claim lease
 * (with one last attempt's busy timeout of 5 s on top), so that no other process takes over the messages
 * of a step while its commit is being retried.
 */
export const STORE_RETRY_MS = 20_000;
/** First wait between attempts, doubled each time: a short lock is passed almost at once. */
const FIRST_DELAY_MS = 50;
/** Longest wait between attempts: a lock released is noticed within this. */
const MAX_DELAY_MS = 2_000;

export interface RetryOptions {
  /** Total time allowed for retries (default STORE_RETRY_MS). */
  budgetMs?: number;
  /** Told before each wait (for diagnostics and tests). */
  onRetry?: (error: unknown, delayMs: number) => void;
}

/**
 * Runs `op`, again after a growing wait while it fails with a retryable store failure. Throws the error
 * of `op` when it is not a store failure, and StoreUnavailableError when the failure cannot pass (or did
 * not within the budget): the database cannot be used, the caller should stop.
 */
export const withStoreRetry = async <T>(op: () => Promise<T>, options: RetryOptions = {}): Promise<T> => {
  const started = Date.now();
  const deadline = started + (options.budgetMs ?? STORE_RETRY_MS);
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      return await op();
    } catch (error) {
      const failure = storeFailureOf(error);
      if (!failure) throw error;
      if (error instanceof StoreUnavailableError) throw error;
      if (!failure.retryable) throw new StoreUnavailableError(failure, error);
      if (Date.now() + delay > deadline)
        throw new StoreUnavailableError(failure, error, Date.now() - started);
      options.onRetry?.(error, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
};
