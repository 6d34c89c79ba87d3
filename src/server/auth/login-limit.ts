/**
 * Login attempt limiting: failed sign-ins are counted per user name and per client address in a sliding
 * window; past the limit, that user (from anywhere) or that address (for any user) is answered 429 with
 * `Retry-After` until enough failures have aged out of the window, even with the right password
 * (otherwise the guessing would simply go on, the answer to the right guess telling it apart).
 *
 * A successful sign-in clears only the failures of its own pair (that user from that address): it never
 * clears what another address did, so an attacker cannot wipe their record by signing in with an
 * account of their own, and a user signing in does not reset the count of someone guessing their
 * password from elsewhere.
 *
 * Memory is bounded: each key keeps at most `maxFailures` timestamps and at most `MAX_KEYS` keys are
 * kept (the least recently failed are dropped first), so a flood of distinct names or addresses cannot
 * grow it without limit. The state is per process (a cluster's nodes count separately).
 */

export interface LoginLimitOptions {
  /** Failures within the window after which sign-ins are refused. */
  maxFailures: number;
  /** Length of the sliding window, in milliseconds. */
  windowMs: number;
}

/**
 * 10 failures in 5 minutes: a person mistyping a password a few times is never stopped, while an online
 * guesser gets about 3 guesses a minute per address and per account (about 2,900 a day), far too few
 * for any password that is not among the most common ones.
 */
export const DEFAULT_LOGIN_LIMIT: LoginLimitOptions = { maxFailures: 10, windowMs: 5 * 60_000 };

/**
 * Keys kept at most (user names and addresses together): about 100 bytes each with their timestamps,
 * so ~2 MB. Past it, the key that failed longest ago is forgotten: a flood of distinct names from many
 * addresses then costs the flooder's oldest records first.
 */
export const MAX_KEYS = 20_000;

interface Failure {
  at: number;
  /** The other half of the pair: the address for a user key, the user for an address key. */
  peer: string;
}

export interface Blocked {
  /** Seconds until a sign-in is accepted again (for Retry-After). */
  retryAfterSeconds: number;
}

export class LoginLimiter {
  readonly #options: LoginLimitOptions;
  readonly #now: () => number;
  /** Key (`u:name` or `a:address`) → its failures, oldest first. Map order = least recently failed first. */
  readonly #failures = new Map<string, Failure[]>();

  constructor(options: LoginLimitOptions = DEFAULT_LOGIN_LIMIT, now: () => number = Date.now) {
    this.#options = options;
    this.#now = now;
  }

  /** Number of keys held (for tests of the bound). */
  get size(): number {
    return this.#failures.size;
  }

  /** Whether a sign-in by `user` (when known) from `address` must be refused now, and for how long. */
  check(user: string | undefined, address: string): Blocked | undefined {
    const waits = [this.#wait(`a:${address}`), user === undefined ? 0 : this.#wait(`u:${user}`)];
    const wait = Math.max(...waits);
    return wait > 0 ? { retryAfterSeconds: Math.ceil(wait / 1000) } : undefined;
  }

  /** Records a failed sign-in (the user is unknown for a bad token). */
  fail(user: string | undefined, address: string): void {
    const at = this.#now();
    this.#record(`a:${address}`, { at, peer: user ?? '' });
    if (user !== undefined) this.#record(`u:${user}`, { at, peer: address });
  }

  /** A successful sign-in: forgets the failures of this user from this address, and only those. */
  succeed(user: string, address: string): void {
    // The common case (nothing recorded for either) costs two lookups.
    this.#drop(`u:${user}`, (f) => f.peer === address);
    this.#drop(`a:${address}`, (f) => f.peer === user);
  }

  /** Milliseconds until the key is under the limit again (0: it is). */
  #wait(key: string): number {
    const list = this.#live(key);
    if (!list || list.length < this.#options.maxFailures) return 0;
    // Under the limit again once the oldest failures beyond (max - 1) have left the window.
    const release = list[list.length - this.#options.maxFailures];
    return release ? Math.max(1, release.at + this.#options.windowMs - this.#now()) : 0;
  }

  /** The key's failures still in the window (older ones are dropped). */
  #live(key: string): Failure[] | undefined {
    const list = this.#failures.get(key);
    if (!list) return undefined;
    const since = this.#now() - this.#options.windowMs;
    let old = 0;
    while (old < list.length && list[old]!.at <= since) old++;
    if (old === list.length) {
      this.#failures.delete(key);
      return undefined;
    }
    if (old > 0) list.splice(0, old);
    return list;
  }

  #record(key: string, failure: Failure): void {
    const list = this.#live(key) ?? [];
    list.push(failure);
    // Only the newest `maxFailures` matter to the decision: older ones are dropped at once.
    if (list.length > this.#options.maxFailures) list.splice(0, list.length - this.#options.maxFailures);
    // Re-inserted: the map's order stays "least recently failed first" for the eviction below.
    this.#failures.delete(key);
    this.#failures.set(key, list);
    while (this.#failures.size > MAX_KEYS) {
      const oldest = this.#failures.keys().next().value;
      if (oldest === undefined) break;
      this.#failures.delete(oldest);
    }
  }

  #drop(key: string, which: (f: Failure) => boolean): void {
    const list = this.#failures.get(key);
    if (!list) return;
    const kept = list.filter((f) => !which(f));
    if (kept.length === 0) this.#failures.delete(key);
    else if (kept.length !== list.length) this.#failures.set(key, kept);
  }
}
