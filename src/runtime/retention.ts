/**
 * The retention purger: in the background of the scheduler role, every `intervalMs` it deletes the
 * ended executions older than their rule's age (with their task runs, logs, metrics, outputs, dead
 * letters and internal-storage files) and the audit entries older than the audit age, batch by batch.
 * What is due is computed by src/runtime/retention-rules.ts; this module only does the I/O.
 *
 * One purger works at a time: on PostgreSQL each batch takes an advisory lock (a purger that does not
 * get it leaves the round to the one that has it); SQLite has one writer at a time anyway. A round that
 * fails (the database unreachable) is logged and tried again at the next interval.
 */
import { setImmediate as yieldTurn } from 'node:timers/promises';
import type { PurgedExecution } from '../store/retention.ts';
import type { Store } from '../store/types.ts';
import { auditBefore, executionScopes, type RetentionConfig } from './retention-rules.ts';

/**
 * Rows per transaction. Small, so that the write lock is held a few milliseconds: executors writing at
 * the same time (SQLite: one writer; PostgreSQL: the rows' locks) are never stalled behind a purge of
 * a large backlog, which goes in many short transactions instead of one long one.
 */
export const PURGE_BATCH = 500;

/**
 * Batches run back to back for up to this long, then the purger yields to the rest of the process
 * (executor, API) for a turn. Yielding after every batch starves the purge when the executor is busy
 * (a turn can take a whole burst of executions, and the backlog then outgrows the rounds); never
 * yielding would block the process for the whole backlog. A tenth of a second is a pause the API and
 * the executor absorb and still a few thousand executions purged per turn.
 */
export const PURGE_SLICE_MS = 100;

/**
 * Time between rounds. A minute: retention ages are hours to months, so an execution lives at most a
 * minute beyond its age; shorter would only add idle queries. BATON_RETENTION_INTERVAL_MS overrides it
 * (tests and benchmarks, with ages of seconds).
 */
export const PURGE_INTERVAL_MS = 60_000;

export interface PurgerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PurgerOptions {
  store: Store;
  /** Deletes the internal-storage files of a purged execution (LocalStorage.deleteExecutionFiles). */
  deleteFiles: (execution: { namespace: string; flowId: string; executionId: string }) => Promise<number>;
  config: RetentionConfig;
  log: PurgerLog;
  intervalMs?: number;
  now?: () => number;
}

export interface RoundResult {
  executions: number;
  files: number;
  audit: number;
  /** How long the round took. */
  ms: number;
}

export class RetentionPurger {
  readonly #opts: PurgerOptions;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<unknown> | undefined;
  #stopping = false;

  constructor(opts: PurgerOptions) {
    this.#opts = opts;
  }

  /** Runs a first round now, then one every interval (counted from the end of the previous). */
  start(): void {
    const tick = () => {
      this.#round = this.round()
        .then((r) => {
          if (r.executions > 0 || r.audit > 0) this.#opts.log.info({ ...r }, 'retention: purged');
        })
        .catch((error: unknown) =>
          this.#opts.log.warn(
            { err: (error as Error).message },
            'retention: purge failed, tried again later',
          ),
        )
        .finally(() => {
          if (!this.#stopping) this.#timer = setTimeout(tick, this.#opts.intervalMs ?? PURGE_INTERVAL_MS);
        });
    };
    tick();
  }

  /** Stops after the batch in progress. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#round;
  }

  /** One round: every rule's executions, then the audit log, each until nothing is due. */
  async round(): Promise<RoundResult> {
    const { store, config } = this.#opts;
    const now = (this.#opts.now ?? Date.now)();
    const result: RoundResult = { executions: 0, files: 0, audit: 0, ms: 0 };
    const began = performance.now();
    let slice = began;
    // Let the executor and the API of this process have their turn once a slice of work is done.
    const pause = async () => {
      if (performance.now() - slice < PURGE_SLICE_MS) return;
      await yieldTurn();
      slice = performance.now();
    };
    for (const scope of executionScopes(config, now)) {
      for (;;) {
        const purged = await store.purgeEndedExecutions(scope, PURGE_BATCH);
        // Another process is purging: the round is its.
        if (purged === undefined) return { ...result, ms: Math.round(performance.now() - began) };
        result.executions += purged.length;
        result.files += await this.#deleteFiles(purged);
        if (purged.length < PURGE_BATCH || this.#stopping) break;
        await pause();
      }
    }
    const before = auditBefore(config, now);
    while (before !== undefined && !this.#stopping) {
      const n = await store.purgeAudit(before, PURGE_BATCH);
      result.audit += n;
      if (n < PURGE_BATCH) break;
      await pause();
    }
    return { ...result, ms: Math.round(performance.now() - began) };
  }

  /**
   * The rows are gone already: files that cannot be deleted are reported, not retried. All of a batch
   * at once: one after the other, each file-system call would wait for its own turn of a busy process.
   */
  async #deleteFiles(purged: PurgedExecution[]): Promise<number> {
    const counts = await Promise.all(
      purged.map((p) =>
        this.#opts
          .deleteFiles({ namespace: p.namespace, flowId: p.flowId, executionId: p.id })
          .catch((error: unknown) => {
            this.#opts.log.warn(
              { execution: p.id, err: (error as Error).message },
              'retention: execution files not deleted',
            );
            return 0;
          }),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }
}
