/**
 * How long the executor sleeps when a claim left nothing to do: until woken (new work announced), the
 * next delayed message comes due (retries, pauses, timeouts), or POLL_MS. When the next message is due
 * is told by the claim itself (`ExecutorClaim.nextAvailableAt`), so that going idle costs no statement;
 * only when leases were moved since (a step held for a retry) is the store asked again.
 */
import type { Store } from '../store/types.ts';
import type { WakeupSignal } from '../util/signal.ts';

/**
 * Poll interval when nothing wakes us in-process: how soon work enqueued by another process (or a timer
 * coming due) is noticed. Timers are also waited for precisely (see `wait`).
 */
export const POLL_MS = 500;
/**
 * Wait when the claim got nothing though messages are due: they are held by a lease (another process
 * is handling their execution). Without it the loop would claim again at once, spinning until then.
 */
const HELD_RECHECK_MS = 50;

export class IdleWait {
  readonly #store: Store;
  readonly #wakeup: WakeupSignal;
  /** When the next message is visible, as the last claim saw it; absent: unknown since. */
  #next?: { at: number | undefined };

  constructor(store: Store, wakeup: WakeupSignal) {
    this.#store = store;
    this.#wakeup = wakeup;
  }

  /** What a claim told of the next message. */
  claimed(nextAvailableAt: number | undefined): void {
    this.#next = { at: nextAvailableAt };
  }

  /** Messages were held for a later retry since the claim: due at a time it could not know. */
  leasesMoved(): void {
    this.#next = undefined;
  }

  /** Sleeps after a claim that handled `handled` executions (fewer than a full batch). */
  async wait(handled: number): Promise<void> {
    // New work was announced while we worked: claim again without asking the store when.
    if (this.#wakeup.notified) return this.#wakeup.wait(0);
    // Anything enqueued since the claim came with a wakeup: in-process, or a NOTIFY from another process
    // (a hint that can be lost, hence the POLL_MS bound).
    const next = this.#next ? this.#next.at : await this.#store.nextAvailableAt('executor');
    let untilNext = next === undefined ? POLL_MS : Math.max(0, next - Date.now());
    if (handled === 0 && untilNext === 0) untilNext = HELD_RECHECK_MS;
    await this.#wakeup.wait(Math.min(POLL_MS, untilNext));
  }
}
