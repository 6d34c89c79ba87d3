/**
 * Process liveness across machines. Every Baton process (`baton run`, `baton server` whatever its
 * roles, `baton worker`) keeps a row in the `instances` table (`Store.beatInstance`) and rewrites it
 * every BEAT_MS. Any live process that sees a row not rewritten for DEAD_AFTER_MS declares that process
 * dead: its queue leases are released at once (its jobs are claimed again as new attempts, its
 * executor messages by another executor) and, when this process runs an executor that stays up
 * (`adopt`), its executions are taken over (`Store.adoptExecutions`), as the start-up recovery does for
 * dead processes of the same machine (recovery.ts), which cannot see other machines.
 *
 * Deaths are judged on this process's own clock: a row is dead when this process has seen the same
 * beat for DEAD_AFTER_MS, so clocks that differ between machines do not matter (the lag shown by
 * `baton cluster` does use them).
 */
import { hostname } from 'node:os';
import type { ClusterInstance, Store } from '../store/types.ts';
import { describeOwner } from './recovery.ts';

/**
 * How often a process beats. `BATON_HEARTBEAT_MS` changes it (tests, or a cluster that must notice
 * deaths sooner); the death threshold follows it.
 */
export const BEAT_MS = 5_000;
/**
 * Missing beats for this long means dead: six beats, as long as a worker's job lease (LEASE_MS), so that a
 * process whose event loop stalls (a long GC, a slow disk) is not declared dead while its leases hold,
 * which would run its jobs twice.
 */
export const DEAD_AFTER_MS = 6 * BEAT_MS;
/**
 * Rows of dead processes stay this long for `baton cluster` to show (what died, when), then the next
 * process that adopts executions removes them.
 */
export const FORGET_AFTER_MS = 10 * 60_000;

export const heartbeatTiming = (
  env: NodeJS.ProcessEnv = process.env,
): { beatMs: number; deadAfterMs: number } => {
  const beat = Number(env.BATON_HEARTBEAT_MS);
  const beatMs = Number.isFinite(beat) && beat >= 50 ? beat : BEAT_MS;
  return { beatMs, deadAfterMs: 6 * beatMs };
};

/** Whether an instance row is alive by wall-clock lag (for display and worker-group checks). */
export const isAlive = (
  instance: ClusterInstance,
  now: number,
  deadAfterMs = heartbeatTiming().deadAfterMs,
): boolean => now - Date.parse(instance.lastBeatAt) <= deadAfterMs;

/** Whether a live worker of `group` is recorded (a task's `workerGroup.key`). */
export const liveWorkerOfGroup = async (store: Store, group: string): Promise<boolean> => {
  const now = Date.now();
  return (await store.listInstances()).some(
    (i) => i.workerGroup === group && i.roles.includes('worker') && i.slots > 0 && isAlive(i, now),
  );
};

export interface HeartbeatOptions {
  store: Store;
  /** This process's queue owner id. */
  id: string;
  roles: string[];
  workerGroup?: string;
  slots: number;
  busy: () => number;
  /** How long the messages it claimed lately waited for it (ms, see src/util/claim-lag.ts); none: 0. */
  queueLagMs?: () => number;
  /** Take over the executions of dead processes (this process runs an executor that stays up). */
  adopt: boolean;
  /**
   * A process was declared dead (said once); this process's beats fail (said when they start failing)
   * and pass again.
   */
  onNotice: (message: string) => void;
  onError: (error: unknown) => void;
  beatMs?: number;
  deadAfterMs?: number;
}

export class Heartbeat {
  readonly #opts: HeartbeatOptions;
  readonly #startedAt = new Date().toISOString();
  readonly #beatMs: number;
  readonly #deadAfterMs: number;
  /** Per other process: the beat last seen and when (this process's clock) it was first seen. */
  readonly #seen = new Map<string, { beat: string; since: number }>();
  readonly #declared = new Set<string>();
  /** When this process last read the others' beats (its clock), to know how long it was blind. */
  #lastLook?: number;
  /** Since when this process's beats fail (a database unreachable), and how many failed. */
  #failing?: { since: number; beats: number };
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;

  constructor(opts: HeartbeatOptions) {
    this.#opts = opts;
    const timing = heartbeatTiming();
    this.#beatMs = opts.beatMs ?? timing.beatMs;
    this.#deadAfterMs = opts.deadAfterMs ?? timing.deadAfterMs;
  }

  /** Beats once (the row exists when this returns), then every beat interval. */
  async start(): Promise<void> {
    await this.#beat();
    // Beats are not spaced out when they fail (no backoff): they are this process's sign of life, and
    // the next one that passes must come as soon as the database is back, before others judge it dead.
    this.#timer = setInterval(() => {
      // One beat at a time: a slow store must not pile them up.
      this.#running ??= this.#beat()
        .then(
          () => this.#passed(),
          (error: unknown) => this.#failed(error),
        )
        .finally(() => {
          this.#running = undefined;
        });
    }, this.#beatMs);
    this.#timer.unref();
  }

  /** Stops beating and removes this process's row (a clean stop is not a death). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    await this.#opts.store.deleteInstance(this.#opts.id).catch(() => undefined);
  }

  #failed(error: unknown): void {
    if (this.#failing) this.#failing.beats++;
    else {
      this.#failing = { since: Date.now(), beats: 1 };
      this.#opts.onNotice(
        `heartbeat failed (${error instanceof Error ? error.message : String(error)}); ` +
          `trying again every ${this.#beatMs} ms`,
      );
    }
    this.#opts.onError(error);
  }

  #passed(): void {
    if (!this.#failing) return;
    const { since, beats } = this.#failing;
    this.#failing = undefined;
    this.#opts.onNotice(
      `heartbeat written again after ${Date.now() - since} ms (${beats} beat(s) failed meanwhile)`,
    );
  }

  async #beat(): Promise<void> {
    const { store, id } = this.#opts;
    const now = Date.now();
    await store.beatInstance({
      id,
      host: hostname(),
      pid: process.pid,
      roles: this.#opts.roles,
      ...(this.#opts.workerGroup ? { workerGroup: this.#opts.workerGroup } : {}),
      slots: this.#opts.slots,
      busy: this.#opts.busy(),
      queueLagMs: this.#opts.queueLagMs?.() ?? 0,
      startedAt: this.#startedAt,
      lastBeatAt: new Date(now).toISOString(),
    });
    const others = await store.listInstances();
    // This process could not look for a while (the database unreachable, its event loop stalled): that
    // time is not counted against the others, whose beats it could not see either (one beat interval of
    // it is, so that a process looking slowly still judges). Without this, processes cut off from the
    // database together would each declare the others dead at their first look after the outage,
    // handing out again the jobs that live workers still run.
    const gap = this.#lastLook === undefined ? 0 : now - this.#lastLook;
    this.#lastLook = now;
    if (gap > 2 * this.#beatMs) for (const seen of this.#seen.values()) seen.since += gap - this.#beatMs;
    for (const other of others) {
      if (other.id === id) continue;
      const seen = this.#seen.get(other.id);
      if (!seen || seen.beat !== other.lastBeatAt) {
        this.#seen.set(other.id, { beat: other.lastBeatAt, since: now });
        this.#declared.delete(other.id);
        continue;
      }
      if (now - seen.since < this.#deadAfterMs) continue;
      await this.#declareDead(other, now - seen.since);
    }
  }

  async #declareDead(other: ClusterInstance, silentMs: number): Promise<void> {
    const { store, id } = this.#opts;
    if (!this.#declared.has(other.id)) {
      const released = await store.releaseOwner(other.id);
      const adopted = this.#opts.adopt ? await store.adoptExecutions(other.id, id) : [];
      this.#declared.add(other.id);
      this.#opts.onNotice(
        `${describeOwner(other.id)} missed its heartbeats for ${Math.round(silentMs / 1000)} s: declared dead; ` +
          `${released} queued message(s) handed out again` +
          (this.#opts.adopt ? `, ${adopted.length} execution(s) taken over` : ''),
      );
      return;
    }
    if (!this.#opts.adopt) return;
    // It may have owned executions created after it was declared (none normally): take them too.
    await store.adoptExecutions(other.id, id);
    if (Date.now() - Date.parse(other.lastBeatAt) > FORGET_AFTER_MS && silentMs > FORGET_AFTER_MS) {
      await store.deleteInstance(other.id);
      this.#seen.delete(other.id);
      this.#declared.delete(other.id);
    }
  }
}
