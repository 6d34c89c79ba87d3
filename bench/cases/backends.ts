/**
 * Shared by the cases that run one workload on SQLite and then on PostgreSQL (backend-*): where each
 * backend's database is, the PostgreSQL schema of each run (dropped afterwards), and the ratio line.
 * PostgreSQL: BATON_BENCH_PG_URL, by default the local server's `test` database.
 */

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BENCH_ADMIN, report } from './common.ts';

export const PG_URL = process.env.BATON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: Backend[] = ['sqlite', 'postgres'];

/**
 * Runs `fn` with the database of `backend`: undefined for SQLite (the data folder's own file), a
 * `postgres://` URL with a fresh schema for PostgreSQL, the schema dropped afterwards.
 */
export const withBackend = async <T>(
  backend: Backend,
  fn: (database: string | undefined) => Promise<T>,
): Promise<T> => {
  if (backend === 'sqlite') return fn(undefined);
  const schema = `baton_bench_${randomBytes(6).toString('hex')}`;
  try {
    return await fn(`${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`);
  } finally {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
};

/** The line comparing the two backends' figure `key`: PostgreSQL's over SQLite's. */
export const reportRatio = (name: string, key: string, figures: Partial<Record<Backend, number>>): void => {
  const { sqlite, postgres } = figures;
  const ratio = sqlite && postgres ? (postgres / sqlite).toFixed(2) : 'n/a';
  report(name, {
    [`sqlite ${key}`]: sqlite ?? 'error',
    [`postgres ${key}`]: postgres ?? 'error',
    'pg/sqlite': ratio,
  });
};

/** A client of a bench server's API, as the bench admin. */
export const apiClient =
  (url: string) =>
  async (path: string, init: RequestInit = {}): Promise<Response> => {
    const auth = `Basic ${Buffer.from(`${BENCH_ADMIN.user}:${BENCH_ADMIN.password}`).toString('base64')}`;
    const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: auth, ...init.headers } });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res;
  };

/** Stops a process the case started and waits for its end. */
export const stop = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
};
