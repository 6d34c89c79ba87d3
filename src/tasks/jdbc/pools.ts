/**
 * Connection pools of this worker process, one per database and user (url + username + a hash of the
 * password, so a changed password gets a new pool and the password itself is never a map key). Tasks
 * and triggers borrow a connection and give it back; `closeSqlPools()` closes everything, and runs when
 * the worker stops (registered with the worker's shutdown hooks).
 */
import { createHash } from 'node:crypto';
import { onWorkerShutdown } from '../shutdown-hooks.ts';
import { connectionError } from './errors.ts';
import type { SqlSession } from './session.ts';
import type { JdbcTarget, SqliteTarget } from './url.ts';

interface PoolEntry {
  acquire(): Promise<SqlSession>;
  close(): Promise<void>;
}

const pools = new Map<string, Promise<PoolEntry>>();

export interface Credentials {
  url: string;
  username?: string;
  password?: string;
}

const keyOf = (c: Credentials): string =>
  `${c.url}\u0000${c.username ?? ''}\u0000${createHash('sha256')
    .update(c.password ?? '')
    .digest('hex')}`;

const serverPool = async (t: JdbcTarget, c: Credentials): Promise<PoolEntry> => {
  if (t.dialect === 'sqlite') return sqlitePool(t);
  if (t.dialect === 'postgresql') {
    const { createPgPool, pgSession } = await import('./pg.ts');
    const pool = await createPgPool(t, c.username, c.password);
    return { acquire: async () => pgSession(await pool.connect()), close: () => pool.end() };
  }
  const { createMysqlPool, mysqlSession } = await import('./mysql.ts');
  const pool = await createMysqlPool(t, c.username, c.password);
  return { acquire: async () => mysqlSession(await pool.getConnection()), close: () => pool.end() };
};

/** One shared handle per file; sessions take turns (see sqlite.ts). */
const sqlitePool = async (t: SqliteTarget): Promise<PoolEntry> => {
  const { openSqlite, sqliteSession } = await import('./sqlite.ts');
  const db = await openSqlite(t.path, '/');
  let queue: Promise<void> = Promise.resolve();
  return {
    async acquire() {
      let done!: () => void;
      const previous = queue;
      queue = new Promise<void>((r) => {
        done = r;
      });
      await previous;
      return sqliteSession(db, () => {
        // A session released inside an open transaction (a failure) must not leave it to the next one.
        if (db.isTransaction) db.exec('ROLLBACK');
        done();
      });
    },
    async close() {
      await queue;
      db.close();
    },
  };
};

/** A connection for one task or poll; `workingDir` resolves relative SQLite paths. */
export const acquireSession = async (
  target: JdbcTarget,
  c: Credentials,
  workingDir: string,
): Promise<SqlSession> => {
  if (target.dialect === 'sqlite') {
    const { isSharedPath, openSqlite, sqliteSession } = await import('./sqlite.ts');
    if (!isSharedPath(target.path)) {
      const db = await openSqlite(target.path, workingDir);
      return sqliteSession(db, () => db.close());
    }
  }
  const key = keyOf(c);
  let entry = pools.get(key);
  if (!entry) {
    entry = serverPool(target, c);
    pools.set(key, entry);
    entry.catch(() => pools.delete(key));
  }
  try {
    return await (await entry).acquire();
  } catch (error) {
    const named = target.dialect === 'sqlite' ? target : { ...target, user: c.username ?? target.user };
    throw connectionError(error, named);
  }
};

/** Closes every pool (the worker is stopping); a later task opens new ones. */
export const closeSqlPools = async (): Promise<void> => {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map(async (p) => (await p).close()));
};

export const openPoolCount = (): number => pools.size;

onWorkerShutdown(closeSqlPools);
