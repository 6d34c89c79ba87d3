/**
 * Connections a task family keeps open across the jobs of a worker process, one per target (broker URL
 * and credentials), so that a flow of a hundred Publish tasks opens one connection, not a hundred.
 * A connection that closes or fails is forgotten (the next job opens a new one); all are closed when the
 * worker stops (see shutdown-hooks.ts). Keys hold credentials: they stay in memory, never in a log.
 */
import { onWorkerShutdown } from './shutdown-hooks.ts';

export interface ConnectionPool<C> {
  /** The open connection for `key`, opened by `open` the first time (concurrent callers share one). */
  get(key: string, open: () => Promise<C>): Promise<C>;
  /** Forgets `key`'s connection (it failed or closed): the next `get` opens a new one. */
  forget(key: string, connection?: C): void;
  /** How many connections are open: for tests and metrics. */
  size(): number;
}

export const connectionPool = <C>(close: (connection: C) => Promise<void>): ConnectionPool<C> => {
  const open = new Map<string, Promise<C>>();
  const pool: ConnectionPool<C> = {
    get(key, opener) {
      const known = open.get(key);
      if (known) return known;
      const opening = opener();
      open.set(key, opening);
      // A connection that could not open is not kept: the next job tries again.
      opening.catch(() => {
        if (open.get(key) === opening) open.delete(key);
      });
      return opening;
    },
    forget(key, connection) {
      const known = open.get(key);
      if (!known) return;
      if (connection === undefined) {
        open.delete(key);
        return;
      }
      // Only the connection that failed: a newer one opened meanwhile stays.
      void known.then(
        (c) => {
          if (c === connection && open.get(key) === known) open.delete(key);
        },
        () => undefined,
      );
    },
    size: () => open.size,
  };
  onWorkerShutdown(async () => {
    const all = [...open.values()];
    open.clear();
    await Promise.allSettled(all.map(async (p) => close(await p)));
  });
  return pool;
};
