export { type PgOptions, pgTarget } from './db.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { openPgStore, PgStore, type PgStoreOptions } from './store.ts';
