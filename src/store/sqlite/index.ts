export { DEFAULT_BUSY_TIMEOUT_MS, type SqliteOptions, type Synchronous } from './db.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './store.ts';
