/**
 * The SQLite connection: pragmas, a cache of prepared statements and the write-transaction helper.
 * One connection per store; node:sqlite is synchronous, so a statement blocks the event loop for its
 * duration (microseconds for the hot queries, which all hit an index).
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

export type Synchronous = 'NORMAL' | 'FULL';

export interface SqliteOptions {
  /** A file path (created if missing, parent folder must exist) or `:memory:` (tests). */
  path: string;
  /**
   * Durability of commits, with WAL journaling:
   * - `NORMAL` (default): a commit is written to the WAL but the WAL is fsynced only at checkpoints. A
   *   crash of the process loses nothing; a power loss or OS crash can lose the last transactions
   *   committed before it (the database rolls back to the last synced point) but never corrupts it.
   *   Lost transactions are then redone from the queue messages that were not acked either.
   * - `FULL`: the WAL is fsynced at every commit: a commit that returned survives a power loss too, at
   *   the cost of one fsync per transaction (milliseconds on most disks, which caps throughput).
   */
  synchronous?: Synchronous;
  /**
   * How long a statement waits for another connection's write lock before failing with SQLITE_BUSY.
   * Default 5000 ms; see `DEFAULT_BUSY_TIMEOUT_MS`.
   */
  busyTimeoutMs?: number;
  /**
   * A cap on the size of the database file: writes that would grow it beyond fail with SQLITE_FULL,
   * exactly as on a full disk (and are rolled back). Keeps an embedded install from filling its disk.
   */
  maxSizeBytes?: number;
}

/**
 * Another process (a second `baton` on the same data folder, a CLI command reading logs) may hold the
 * write lock while it commits. Without a timeout SQLite fails at once with SQLITE_BUSY and an execution
 * write would be lost to a transient conflict; 5 s is far above any commit of ours (sub-millisecond)
 * yet short enough that a stuck process shows up as an error instead of a hang. Writes use BEGIN
 * IMMEDIATE so the wait happens when the transaction starts (a deferred transaction upgrading from read
 * to write gets SQLITE_BUSY immediately, busy_timeout cannot help it).
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const WAL_AUTOCHECKPOINT_PAGES = 8_000;
/**
 * Page cache of the connection, in KiB (SQLite's default is 2 MB). A step of a large execution touches
 * pages of the task-run id index and of the queue indexes all over; once those outgrow the cache,
 * each write first reads its pages back from the file, and the cost per task run grows with the size
 * of the execution. 16 MB holds them for executions of 100,000 task runs. Pages are allocated as they
 * are used, so an idle process does not pay for it.
 */
const CACHE_KIB = 16_384;

export class SqliteDb {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #begin: StatementSync;
  readonly #commit: StatementSync;
  readonly #rollback: StatementSync;
  readonly #savepoint: StatementSync;
  readonly #beginRead: StatementSync;
  readonly #release: StatementSync;
  readonly #rollbackTo: StatementSync;

  constructor(options: SqliteOptions) {
    const synchronous = options.synchronous ?? 'NORMAL';
    if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
      throw new Error(`SQLite synchronous must be 'NORMAL' or 'FULL', got '${String(synchronous)}'`);
    }
    const busy = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.db = new DatabaseSync(options.path, { enableForeignKeyConstraints: true, timeout: busy });
    // WAL: readers never block the writer and vice versa; commits append to the WAL (fast).
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec(`PRAGMA synchronous = ${synchronous}`);
    this.db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busy))}`);
    this.db.exec('PRAGMA foreign_keys = ON');
    // Checkpoint the WAL every 8,000 pages (about 32 MB) instead of SQLite's 1,000: a checkpoint copies
    // pages into the database file and syncs it, and at 1,000 pages that happened every few dozen
    // engine steps, a quarter of the cost of a short task. The price is a larger WAL file on disk.
    this.db.exec(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    this.db.exec(`PRAGMA cache_size = -${CACHE_KIB}`);
    if (options.maxSizeBytes !== undefined) {
      const pageSize = Number(Object.values(this.db.prepare('PRAGMA page_size').get() ?? {})[0]);
      const pages = Math.max(1, Math.floor(options.maxSizeBytes / pageSize));
      this.db.exec(`PRAGMA max_page_count = ${pages}`);
    }
    this.#begin = this.db.prepare('BEGIN IMMEDIATE');
    this.#commit = this.db.prepare('COMMIT');
    this.#rollback = this.db.prepare('ROLLBACK');
    this.#savepoint = this.db.prepare('SAVEPOINT write');
    this.#beginRead = this.db.prepare('BEGIN DEFERRED');
    this.#release = this.db.prepare('RELEASE write');
    this.#rollbackTo = this.db.prepare('ROLLBACK TO write');
  }

  /** The prepared statement for `sql`, prepared on first use and reused afterwards. */
  stmt(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  run(sql: string, ...params: SQLInputValue[]): { changes: number; lastInsertRowid: number } {
    const r = this.stmt(sql).run(...params);
    return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  /** Runs `fn` in one BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows if it throws. */
  tx<T>(fn: () => T): T {
    this.#begin.run();
    try {
      const result = fn();
      this.#commit.run();
      return result;
    } catch (err) {
      if (this.db.isTransaction) this.#rollback.run();
      throw err;
    }
  }

  /** The connection's effective settings, read back from SQLite (for diagnostics and tests). */
  settings(): { journalMode: string; synchronous: string; busyTimeoutMs: number; foreignKeys: boolean } {
    const pragma = (name: string) => Object.values(this.db.prepare(`PRAGMA ${name}`).get() ?? {})[0];
    const sync = Number(pragma('synchronous'));
    return {
      journalMode: String(pragma('journal_mode')),
      synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][sync] ?? String(sync),
      busyTimeoutMs: Number(pragma('busy_timeout')),
      foreignKeys: Number(pragma('foreign_keys')) === 1,
    };
  }

  /** Runs reads in one snapshot (BEGIN DEFERRED): another process's commit cannot land between them. */
  read<T>(fn: () => T): T {
    if (this.db.isTransaction) return fn();
    this.#beginRead.run();
    try {
      return fn();
    } finally {
      this.#commit.run();
    }
  }

  /** Runs `fn` inside the current transaction as one unit: on error only its changes are undone. */
  savepoint<T>(fn: () => T): T {
    this.#savepoint.run();
    try {
      const result = fn();
      this.#release.run();
      return result;
    } catch (err) {
      // After some failures (SQLITE_FULL, SQLITE_IOERR...) SQLite has already rolled the whole
      // transaction back and the savepoint is gone: the error to report is still the first one.
      if (this.db.isTransaction) {
        this.#rollbackTo.run();
        this.#release.run();
      }
      throw err;
    }
  }

  close(): void {
    this.#statements.clear();
    if (this.db.isOpen) this.db.close();
  }
}

/** JSON for a TEXT column; `undefined` becomes SQL NULL. Throws on values JSON cannot carry (BigInt). */
export const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
