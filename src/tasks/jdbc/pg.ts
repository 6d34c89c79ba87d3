/**
 * PostgreSQL through `pg` (pure JavaScript). Values are converted as Kestra's PostgreSQL converter:
 * integers and decimals as numbers, dates/times as ISO text (timestamptz as a UTC instant), json/jsonb
 * parsed, arrays as lists, bytea as base64, interval as an ISO-8601 duration.
 */
import type { FieldDef, Pool, PoolClient, QueryResult } from 'pg';
import { bigOut, bindable, bytesOut, decimalOut, instantOut, type SqlSession } from './session.ts';
import { bindNamed } from './sql-text.ts';
import type { ServerTarget } from './url.ts';

/** Connections per pool: tasks of one worker share them; more would crowd small servers. */
const POOL_MAX = 4;
/** An idle connection is closed after this, so a quiet worker holds none. */
const IDLE_MS = 30_000;
/** A server that does not answer the connection within this fails the attempt (retryable). */
const CONNECT_TIMEOUT_MS = 10_000;

// OIDs of the types read as text and converted here (pg's own parsers make Dates in local time).
const TEXT_TYPES: Record<number, (text: string) => unknown> = {
  20: bigOut, // int8
  1700: decimalOut, // numeric
  1082: (t) => t, // date
  1083: (t) => t, // time
  1266: (t) => t.replace(/([+-]\d{2})$/, '$1:00'), // timetz
  1114: (t) => t.replace(' ', 'T'), // timestamp
  1184: (t) => instantOut(new Date(t.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'))), // timestamptz
};

export const createPgPool = async (t: ServerTarget, user?: string, password?: string): Promise<Pool> => {
  const { default: pg } = await import('pg');
  const types = {
    getTypeParser: (oid: number, format?: string) => {
      const own = TEXT_TYPES[oid];
      if (own && format !== 'binary') return own;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const sslmode = t.options.sslmode?.toLowerCase();
  const ssl =
    sslmode === 'require' || t.options.ssl === 'true'
      ? { rejectUnauthorized: false }
      : sslmode === 'verify-ca' || sslmode === 'verify-full'
        ? true
        : undefined;
  const pool = new pg.Pool({
    host: t.host,
    port: t.port,
    database: t.database,
    user: user ?? t.user,
    password: password ?? t.password,
    ssl,
    max: POOL_MAX,
    idleTimeoutMillis: IDLE_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    allowExitOnIdle: true,
    types,
    options: t.options.currentschema ? `-c search_path=${t.options.currentschema}` : undefined,
    application_name: t.options.applicationname ?? 'baton',
  });
  // An idle connection the server closes emits 'error' on the pool: without a listener, the process
  // would crash. The connection is dropped by the pool; the next task opens a new one.
  pool.on('error', () => undefined);
  return pool;
};

interface Interval {
  years?: number;
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

/** An interval as a short ISO-8601 duration (`PT1H`, `P1DT2H`), zero parts left out. */
const intervalOut = (i: Interval): string => {
  const part = (n: number | undefined, unit: string) => (n ? `${n}${unit}` : '');
  const seconds = (i.seconds ?? 0) + (i.milliseconds ?? 0) / 1000;
  const date = part(i.years, 'Y') + part(i.months, 'M') + part(i.days, 'D');
  const time = part(i.hours, 'H') + part(i.minutes, 'M') + part(seconds, 'S');
  return date === '' && time === '' ? 'PT0S' : `P${date}${time ? `T${time}` : ''}`;
};

const convert = (value: unknown, field: FieldDef): unknown => {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return bytesOut(value);
  if (value instanceof Date) return instantOut(value);
  if (field.dataTypeID === 1186 && typeof value === 'object') return intervalOut(value as Interval);
  if (Array.isArray(value)) return value.map((v) => convert(v, field));
  return value;
};

const rowsOf = (r: QueryResult): Record<string, unknown>[] =>
  r.rows.map((row: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const f of r.fields) out[f.name] = convert(row[f.name], f);
    return out;
  });

export const pgSession = (client: PoolClient): SqlSession => ({
  async run(sql, parameters) {
    const { sql: text, values } = bindNamed(sql, parameters, 'dollar');
    const r = await client.query({ text, values: values.map((v) => bindable(v, true)) });
    // `pg` answers one result per statement; a SELECT has fields even when it returns no rows.
    const last = Array.isArray(r) ? (r[r.length - 1] as QueryResult) : r;
    return { hasResultSet: last.fields.length > 0, rows: rowsOf(last) };
  },
  begin: async (snapshot) =>
    void (await client.query(snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN')),
  commit: async () => void (await client.query('COMMIT')),
  rollback: async () => void (await client.query('ROLLBACK')),
  release: (broken) => client.release(broken === true),
});
