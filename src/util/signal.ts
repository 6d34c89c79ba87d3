/**
 * An in-process wake-up signal. Consumers wait on it between polls so that, in one process, work handed
 * from the executor to the worker (and back) is picked up at once instead of at the next poll.
 */
export class WakeupSignal {
  private waiters = new Set<() => void>();
  private pending = false;

  notify(): void {
    this.pending = true;
    // No copy of the set: every waiter removes itself, and none is added meanwhile (a woken consumer
    // waits again only in a later microtask). The copy, made at every job's end, was garbage that V8 came
    // to allocate in the old generation, with the waiters it held.
    for (const w of this.waiters) w();
  }

  /** Whether a notify came since the last wait (the next wait returns at once). */
  get notified(): boolean {
    return this.pending;
  }

  /** Resolves at the next notify (or at once if one came since the last wait), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}
