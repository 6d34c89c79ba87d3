/**
 * Queue lag of this process: how long the messages it claims waited between becoming available and
 * being claimed. Near zero while the process keeps up (LISTEN/NOTIFY or the in-process wakeup hands
 * work over at once); it grows when the process is saturated or its claims are slow. The heartbeat
 * records the largest wait seen over the recent window, so `baton cluster` shows which process falls
 * behind; the server's metrics expose the same figure.
 */

/** The clock of the queue rows (milliseconds, as `QueueMessage.availableAt`). */
export interface Claimed {
  availableAt: number;
}

export class ClaimLag {
  /** Two windows that rotate: the figure covers between one and two windows of claims. */
  readonly #windowMs: number;
  #windowStart = 0;
  #current = 0;
  #previous = 0;

  /** `windowMs`: one heartbeat interval, so a beat reports the claims since about the previous beat. */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  observe(messages: readonly Claimed[], now = Date.now()): void {
    this.#rotate(now);
    for (const m of messages) this.#current = Math.max(this.#current, now - m.availableAt);
  }

  /** The largest wait (ms) of the claims of the last one or two windows; 0 when nothing was claimed. */
  lagMs(now = Date.now()): number {
    this.#rotate(now);
    return Math.max(0, this.#current, this.#previous);
  }

  #rotate(now: number): void {
    if (now - this.#windowStart < this.#windowMs) return;
    // A whole window passed without a claim: the older one is forgotten as well.
    this.#previous = now - this.#windowStart < 2 * this.#windowMs ? this.#current : 0;
    this.#current = 0;
    this.#windowStart = now;
  }
}
