/**
 * SQLite through `node:sqlite` (built into Node). A database file is opened once per worker process
 * and shared; since its calls are synchronous and a transaction spans several of them, one session at
 * a time has it (the others wait their turn). `:memory:` and relative paths (resolved in the job's
 * working directory, as Kestra does) are opened per session and closed with it.
 */
import { isAbsolute, resolve } from 'node:path';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { bindable, bytesOut, type SqlSession } from './session.ts';
import { bindNamed } from './sql-text.ts';

/** How long a statement waits for a lock another process holds on the file before failing. */
const BUSY_TIMEOUT_MS = 5_000;

export const openSqlite = async (path: string, workingDir: string): Promise<DatabaseSync> => {
  const { DatabaseSync } = await import('node:sqlite');
  const file = path === ':memory:' || isAbsolute(path) ? path : resolve(workingDir, path);
  const db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  return db;
};

export const isSharedPath = (path: string): boolean => path !== ':memory:' && isAbsolute(path);

const convert = (v: unknown): unknown => {
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return bytesOut(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
};

const toInput = (v: unknown): SQLInputValue => {
  const b = bindable(v, false);
  if (typeof b === 'boolean') return b ? 1 : 0;
  if (b instanceof Date) return b.toISOString();
  return b as SQLInputValue;
};

export const sqliteSession = (db: DatabaseSync, release: (broken?: boolean) => void): SqlSession => ({
  async run(sql, parameters) {
    const { sql: text, values } = bindNamed(sql, parameters, 'question');
    const stmt = db.prepare(text);
    stmt.setReadBigInts(true);
    const inputs = values.map(toInput);
    // A statement returning columns (SELECT, PRAGMA, RETURNING) is read; others are run.
    if (stmt.columns().length === 0) {
      stmt.run(...inputs);
      return { hasResultSet: false, rows: [] };
    }
    const rows = stmt.all(...inputs).map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = convert(v);
      return out;
    });
    return { hasResultSet: true, rows };
  },
  begin: async (snapshot) => void db.exec(snapshot ? 'BEGIN IMMEDIATE' : 'BEGIN'),
  commit: async () => void db.exec('COMMIT'),
  rollback: async () => {
    if (db.isTransaction) db.exec('ROLLBACK');
  },
  release,
});
