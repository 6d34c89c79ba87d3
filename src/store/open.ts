/**
 * Which backend a database location means: a `postgres://` or `postgresql://` URL opens the
 * PostgreSQL store (several processes, possibly on several machines, sharing it); anything else is the
 * path of a SQLite file (the embedded default). The PostgreSQL backend (and `pg`) is loaded only when
 * asked for, so that embedded commands do not pay for it.
 */
import type { SqliteStoreOptions } from './sqlite/index.ts';
import type { Store } from './types.ts';

/** The environment variable naming the database of every command (as `--db`). */
export const DATABASE_URL_ENV = 'BATON_DATABASE_URL';

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** A location for messages: a URL without its password. */
export const describeLocation = (location: string): string =>
  isPostgresUrl(location) ? location.replace(/^(\w+:\/\/[^:/@]*):[^@/]*@/, '$1:***@') : location;

export interface OpenedStore {
  store: Store;
  /** Where it is, for messages (never a password). */
  where: string;
  kind: 'sqlite' | 'postgres';
}

/** Opens and migrates the store at `location` (a SQLite path or a PostgreSQL URL). */
export const openStore = async (
  location: string,
  sqlite: Omit<SqliteStoreOptions, 'path'> = {},
): Promise<OpenedStore> => {
  if (isPostgresUrl(location)) {
    const { openPgStore } = await import('./postgres/index.ts');
    const store = await openPgStore({ url: location, now: sqlite.now });
    return { store, where: store.where, kind: 'postgres' };
  }
  const { openSqliteStore } = await import('./sqlite/index.ts');
  return { store: await openSqliteStore({ ...sqlite, path: location }), where: location, kind: 'sqlite' };
};
