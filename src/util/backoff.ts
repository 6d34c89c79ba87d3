/**
 * Growing waits between attempts at something that failed (a connection to open again): the first
 * attempts come soon, so that a short blip is passed at once, and later ones at a capped pace, so that
 * a server down for long is not hammered by every process at once.
 */
export class Backoff {
  readonly #firstMs: number;
  readonly #maxMs: number;
  #next: number;
  #attempts = 0;

  constructor(firstMs: number, maxMs: number) {
    this.#firstMs = firstMs;
    this.#maxMs = maxMs;
    this.#next = firstMs;
  }

  /** The wait before the next attempt (doubled each call, up to the cap). */
  next(): number {
    const delay = this.#next;
    this.#next = Math.min(this.#next * 2, this.#maxMs);
    this.#attempts++;
    return delay;
  }

  /** Waits handed out since the last reset. */
  get attempts(): number {
    return this.#attempts;
  }

  /** It worked: the next failure starts again from the first wait. */
  reset(): void {
    this.#next = this.#firstMs;
    this.#attempts = 0;
  }
}
