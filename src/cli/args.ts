/** Small helpers shared by the subcommands: option parsing, the data folder and the database. */
import { join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import { DATABASE_URL_ENV, openStore } from '../store/open.ts';
import type { Store } from '../store/types.ts';

/** `--data DIR` and `--db URL` (see `database`): where a command finds its data. */
export const dataDirOption = { data: { type: 'string' }, db: { type: 'string' } } as const;

export const dataDir = (value: string | undefined): string =>
  resolve(value ?? process.env.BATON_DATA ?? '.baton');

/**
 * The database of a command: `--db`, else $BATON_DATABASE_URL, else undefined (the data folder's SQLite
 * file). A `postgres://` URL switches to the PostgreSQL store; the data folder still holds the files.
 */
export const database = (value: string | undefined): string | undefined =>
  value || process.env[DATABASE_URL_ENV] || undefined;

/** The store of a command that reads or changes it alone, without running the engine. */
export const openCommandStore = async (values: { data?: string; db?: string }): Promise<Store> =>
  (await openStore(database(values.db) ?? join(dataDir(values.data), 'baton.db'))).store;

export const parse = <T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) =>
  parseArgs({ args: argv, options, allowPositionals: true, strict: true });

/** `k=v` pairs (repeatable option) to a record; `k=@path` keeps the `@path` for the caller. */
export const keyValues = (pairs: string[] | undefined, what: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what} '${pair}' must be written key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
};
