/**
 * What `baton users`, `baton tokens` and `baton audit` share: the store of the data folder (opened alone,
 * without the engine), account changes audited as the local user (`cli:<login>`), durations written
 * `30d`, and a password read from standard input.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { prepareDataDir, restrictFile } from '../runtime/data-dir.ts';
import { Accounts } from '../server/auth/accounts.ts';
import { isPostgresUrl, openStore } from '../store/open.ts';
import type { Store } from '../store/types.ts';
import { ageMs } from '../util/duration.ts';
import { database, dataDir } from './args.ts';

/**
 * Opens (creating if needed, private) the data folder's database, or the one of `--db` /
 * $BATON_DATABASE_URL: users may be added before the first start.
 */
export const openAccessStore = async (values: { data?: string; db?: string }): Promise<Store> => {
  const url = database(values.db);
  if (url && isPostgresUrl(url)) return (await openStore(url)).store;
  const dir = dataDir(values.data);
  prepareDataDir(dir);
  const path = url ?? join(dir, 'baton.db');
  const { store } = await openStore(path);
  restrictFile(path);
  return store;
};

/** Who the audit log names for a change made here: the operating system's user. */
const localActor = (): string => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

export const cliAccounts = (store: Store): Accounts =>
  new Accounts(store, {
    audit: (entry) =>
      store.appendAudit([{ ...entry, at: new Date().toISOString(), actor: localActor(), source: 'cli' }]),
  });

/** Milliseconds of `90m`, `12h`, `30d`, `8w` or an ISO-8601 duration (`P30D`). */
export const parseAge = (text: string, option: string): number => {
  const ms = ageMs(text);
  if (ms === undefined)
    throw new UsageError(`${option} '${text}' is not a duration such as 90m, 12h, 30d, 8w or P30D`);
  return ms;
};

/** The whole of standard input, without its final line break (`echo secret | baton users add ...`). */
export const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
};
