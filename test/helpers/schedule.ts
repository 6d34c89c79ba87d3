/**
 * For scheduler tests against a running `baton server`: its store opened beside it (a second SQLite
 * connection on the data folder) to deploy flows and read executions until the flows and executions
 * APIs exist, and a poll-until helper.
 */
import { join } from 'node:path';
import type { Execution } from '../../src/execution/types.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.ts';

export const openServerStore = (dataDir: string): Promise<SqliteStore> =>
  openSqliteStore({ path: join(dataDir, 'baton.db') });

/** Polls `check` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export const until = async <T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
};

export const executionsOf = async (store: SqliteStore, namespace: string, flowId: string) =>
  (await store.listExecutions({ namespace, flowId, limit: 10_000 })) as Omit<Execution, 'taskRuns'>[];
