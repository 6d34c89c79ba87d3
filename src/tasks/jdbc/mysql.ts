/**
 * MySQL and MariaDB through `mysql2` (pure JavaScript). Statements with parameters are server-side
 * prepared statements (`execute`): values travel apart from the SQL text. Values are converted as
 * Kestra's MySQL converter: TINYINT(1) and BIT(1) as booleans, integers and decimals as numbers,
 * DATE/TIME as ISO text, DATETIME as a local date-time, TIMESTAMP as a UTC instant, JSON parsed.
 */
import type { FieldPacket, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { bigOut, bindable, bytesOut, decimalOut, type SqlSession } from './session.ts';
import { bindNamed } from './sql-text.ts';
import type { ServerTarget } from './url.ts';

/** Connections per pool: tasks of one worker share them; more would crowd small servers. */
const POOL_MAX = 4;
/** An idle connection is closed after this, so a quiet worker holds none. */
const IDLE_MS = 30_000;
/** A server that does not answer the connection within this fails the attempt (retryable). */
const CONNECT_TIMEOUT_MS = 10_000;

interface CastField {
  type: string;
  length: number;
  string(): string | null;
  buffer(): Buffer | null;
}

/** Reads each value from its wire text, so that nothing goes through a local-time Date. */
const typeCast = (field: CastField, next: () => unknown): unknown => {
  switch (field.type) {
    case 'TINY':
      if (field.length === 1) {
        const s = field.string();
        return s === null ? null : s !== '0';
      }
      return next();
    case 'BIT': {
      const b = field.buffer();
      if (b === null) return null;
      return field.length === 1 ? b[0] === 1 : bytesOut(b);
    }
    case 'LONGLONG': {
      const s = field.string();
      return s === null ? null : bigOut(s);
    }
    case 'NEWDECIMAL':
    case 'DECIMAL': {
      const s = field.string();
      return s === null ? null : decimalOut(s);
    }
    case 'DATE':
    case 'TIME':
      return field.string();
    case 'DATETIME': {
      const s = field.string();
      return s === null ? null : s.replace(' ', 'T');
    }
    case 'TIMESTAMP': {
      // The session runs in UTC (see `timezone`), so a TIMESTAMP's text is a UTC instant.
      const s = field.string();
      return s === null ? null : `${s.replace(' ', 'T')}Z`;
    }
    case 'JSON': {
      const s = field.string();
      return s === null ? null : JSON.parse(s);
    }
    default:
      return next();
  }
};

export const createMysqlPool = async (t: ServerTarget, user?: string, password?: string): Promise<Pool> => {
  const mysql = await import('mysql2/promise');
  const pool = mysql.createPool({
    host: t.host,
    port: t.port,
    database: t.database,
    user: user ?? t.user,
    password: password ?? t.password,
    connectionLimit: POOL_MAX,
    maxIdle: 0,
    idleTimeout: IDLE_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    timezone: 'Z',
    supportBigNumbers: true,
    typeCast: typeCast as never,
    ssl: t.options.usessl === 'true' || t.options.sslmode === 'REQUIRED' ? {} : undefined,
  });
  // TIMESTAMP values are converted by the server into the session's time zone: UTC, read as instants.
  pool.on('connection', (c) => void c.query("SET time_zone = '+00:00'"));
  return pool;
};

const rowsOf = (rows: RowDataPacket[], fields: FieldPacket[]): Record<string, unknown>[] =>
  rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = row[f.name];
      out[f.name] = v instanceof Uint8Array ? bytesOut(v) : (v ?? null);
    }
    return out;
  });

export const mysqlSession = (conn: PoolConnection): SqlSession => ({
  async run(sql, parameters) {
    const { sql: text, values } = bindNamed(sql, parameters, 'question');
    const [result, fields] =
      values.length > 0
        ? await conn.execute(text, values.map((v) => bindable(v, false)) as never[])
        : await conn.query(text);
    if (!Array.isArray(result)) return { hasResultSet: false, rows: [] };
    return {
      hasResultSet: true,
      rows: rowsOf(result as RowDataPacket[], (fields ?? []) as FieldPacket[]),
    };
  },
  begin: async (snapshot) => {
    // Applies to the next transaction only; pooled connections go back to the server's default after it.
    if (snapshot) await conn.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await conn.beginTransaction();
  },
  commit: () => conn.commit(),
  rollback: () => conn.rollback(),
  release: (broken) => (broken ? conn.destroy() : conn.release()),
});
