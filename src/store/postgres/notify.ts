/**
 * Wake-ups across processes: one dedicated connection LISTENs on the schema's queue channel, and the
 * stores' enqueues NOTIFY it in their transaction (delivered at commit); a store skips its own. A hint only: consumers still
 * claim, and keep polling at their usual pace, because notifications sent while this connection is
 * down are lost. After a drop it reconnects, then wakes every listener once (they may have missed some).
 */
import pg from 'pg';
import type { QueueName } from '../types.ts';
import type { PgDb } from './db.ts';
import { queueChannel } from './queue.ts';

/**
 * Wait before connecting again after the LISTEN connection dropped: a server restarting is not
 * hammered, and a wake-up missed meanwhile is covered by the consumers' own polling.
 */
const RECONNECT_MS = 1_000;

export class PgQueueListener {
  readonly #db: PgDb;
  readonly #listeners = new Map<QueueName, Set<() => void>>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;

  constructor(db: PgDb) {
    this.#db = db;
  }

  /** Resolves once listening; the returned function stops this listener. */
  async subscribe(queue: QueueName, listener: () => void): Promise<() => Promise<void>> {
    const set = this.#listeners.get(queue) ?? new Set();
    this.#listeners.set(queue, set);
    set.add(listener);
    await this.#ensure();
    return async () => {
      set.delete(listener);
      if ([...this.#listeners.values()].every((s) => s.size === 0)) await this.#disconnect();
    };
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
    client.on('error', () => this.#lost(client));
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

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    if (this.#closed) return;
    const retry = () => {
      if (this.#closed || [...this.#listeners.values()].every((s) => s.size === 0)) return;
      this.#ensure().then(
        () => {
          for (const set of this.#listeners.values()) for (const listener of set) listener();
        },
        () => setTimeout(retry, RECONNECT_MS).unref(),
      );
    };
    setTimeout(retry, RECONNECT_MS).unref();
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
