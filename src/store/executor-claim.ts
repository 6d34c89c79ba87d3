/** The executor's claim: `claim` on the executor queue, with what the executor would ask next. */
import type { QueueMessage } from './types.ts';

/** An executor claim (`Store.claimExecutor`) with what the executor asks next. */
export interface ExecutorClaim {
  messages: QueueMessage[];
  /**
   * The version of each claimed execution (absent: none stored yet), read after the claim took its
   * messages: whether a copy the executor keeps is still current.
   */
  versions: Map<string, number | undefined>;
  /** `nextAvailableAt('executor')` once this claim is made: when to claim again if nothing wakes us. */
  nextAvailableAt: number | undefined;
}

export interface ExecutorClaimStore {
  /**
   * `claim` on the executor queue, answering with it what the executor would otherwise ask in separate
   * round trips (see ExecutorClaim).
   */
  claimExecutor(owner: string, limit: number, leaseMs: number): Promise<ExecutorClaim>;
}
