/**
 * Wake-ups across processes: one dedicated connection LISTENs on the schema's queue channel, and the
 * stores' enqueues NOTIFY it in their transaction (delivered at commit); a store skips its own. A hint only: consumers still
 * claim, and keep polling at their usual pace, because notifications sent while this connection is
 * down are lost. After a drop it reconnects with growing waits, then wakes every listener once (they
 * may have missed some). The drop, each attempt and the return are told to `onNotice` (the process log).
 */
import pg from 'pg';
import { Backoff } from '../../util/backoff.ts';
import type { QueueName } from '../types.ts';
import type { PgDb } from './db.ts';
import { queueChannel } from './queue.ts';

/**
 * First wait before connecting again after the LISTEN connection dropped: a connection killed alone
 * (pg_terminate_backend, a proxy restarting) comes back almost at once; meanwhile consumers poll.
 */
const FIRST_RECONNECT_MS = 250;
/**
 * Longest wait between attempts (the first doubled each time): a server down for minutes is not
 * hammered by every process, and once it is back, wake-ups resume within this (polling covers the gap).
 */
const MAX_RECONNECT_MS = 5_000;

export class PgQueueListener {
  readonly #db: PgDb;
  readonly #listeners = new Map<QueueName, Set<() => void>>();
  readonly #backoff = new Backoff(FIRST_RECONNECT_MS, MAX_RECONNECT_MS);
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;
  #lostAt = 0;
  #onNotice: (message: string) => void = () => undefined;

  constructor(db: PgDb) {
    this.#db = db;
  }

  /**
   * Resolves once listening; the returned function stops this listener. `onNotice` hears of the
   * connection dropping and coming back (the last one given is told).
   */
  async subscribe(
    queue: QueueName,
    listener: () => void,
    onNotice?: (message: string) => void,
  ): Promise<() => Promise<void>> {
    if (onNotice) this.#onNotice = onNotice;
    const set = this.#listeners.get(queue) ?? new Set();
    this.#listeners.set(queue, set);
    set.add(listener);
    await this.#ensure();
    return async () => {
      set.delete(listener);
      if (!this.#wanted()) await this.#disconnect();
    };
  }

  #wanted(): boolean {
    return [...this.#listeners.values()].some((s) => s.size > 0);
  }

  #ensure(): Promise<void> {
    if (this.#client || this.#closed) return Promise.resolve();
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#db.clientConfig());
    const channel = queueChannel(this.#db.schema);
    client.on('notification', (n) => {
      if (n.channel !== channel || !n.payload) return;
      // `queue:origin`: what this store sent itself, its process has woken its own consumers for already.
      const [queue, origin] = n.payload.split(':');
      if (origin === this.#db.origin) return;
      for (const listener of this.#listeners.get(queue as QueueName) ?? []) listener();
    });
    // A dropped connection: listen again (after a pause) while someone listens.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      // The channel is our own identifier (the schema name was checked to be one): quoted, not a parameter.
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw this.#db.wrap(error);
    }
    this.#client = client;
  }

  #lost(client: pg.Client, error?: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#lostAt = Date.now();
    this.#backoff.reset();
    const first = this.#backoff.next();
    this.#onNotice(
      `queue notifications: the LISTEN connection to PostgreSQL dropped` +
        `${error ? ` (${error.message})` : ''}; reconnecting in ${first} ms (polling meanwhile)`,
    );
    const retry = () => {
      if (this.#closed || !this.#wanted()) return;
      this.#ensure().then(
        () => {
          this.#onNotice(
            `queue notifications: listening again after ${this.#backoff.attempts} attempt(s), ` +
              `${Date.now() - this.#lostAt} ms without`,
          );
          for (const set of this.#listeners.values()) for (const listener of set) listener();
        },
        (failure: unknown) => {
          const delay = this.#backoff.next();
          this.#onNotice(
            `queue notifications: reconnect attempt ${this.#backoff.attempts - 1} failed ` +
              `(${failure instanceof Error ? failure.message : String(failure)}); next in ${delay} ms`,
          );
          setTimeout(retry, delay).unref();
        },
      );
    };
    setTimeout(retry, first).unref();
  }

  async #disconnect(): Promise<void> {
    await this.#connecting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#disconnect();
  }
}
