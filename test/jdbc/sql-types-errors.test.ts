/**
 * What the SQL tasks output for each column type (as Kestra's JDBC converters: numbers, ISO dates,
 * parsed JSON, lists, base64 bytes, null), and their failures: an unreachable server (retryable, says
 * what to check), a refused login or unknown database (not retryable), credentials from `secret()`
 * never in logs or outputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';
import { openMariadb, openPostgres, openSqliteFile, uniqueName } from './sql-helpers.ts';

let engine: TestEngine;
const SECRET = `s3cr3t-${Date.now()}`;
beforeAll(async () => {
  // The worker reads secrets from its environment (see src/secrets).
  process.env.BATON_SECRET_SQL_TEST_PASSWORD = SECRET;
  process.env.BATON_SECRET_SQL_TEST_USER = 'postgres';
  engine = await startEngine();
});
afterAll(async () => {
  await engine?.dispose();
  delete process.env.BATON_SECRET_SQL_TEST_PASSWORD;
  delete process.env.BATON_SECRET_SQL_TEST_USER;
});

const outputsOf = (e: Execution, taskId = 'q') =>
  (e.taskRuns.find((t) => t.taskId === taskId)?.outputs ?? {}) as Record<string, unknown>;

const runQuery = async (ns: string, type: string, props: string): Promise<Execution> => {
  const id = uniqueName('f').replace(/_/g, '-');
  await engine.deploy(`id: ${id}
namespace: ${ns}
tasks:
  - id: q
    type: io.kestra.plugin.jdbc.${type}
${props}`);
  return engine.run(ns, id);
};

const errorLog = async (e: Execution): Promise<string> =>
  (await engine.store.queryLogs({ executionId: e.id })).find((l) => l.level === 'ERROR')?.message ?? '';

describe('type mapping', () => {
  it('PostgreSQL', async () => {
    const db = await openPostgres();
    const t = uniqueName('baton_types');
    await db.exec(`CREATE TABLE ${t} (
      i2 int2, i4 int4, i8 int8, big int8, num numeric(10,2), f8 float8, b bool, d date, tm time, tmz timetz,
      ts timestamp, tsz timestamptz, j json, jb jsonb, ia int[], ta text[], by bytea, u uuid, iv interval, n text)`);
    await db.exec(`INSERT INTO ${t} VALUES (1, 2, 3, 9007199254740993, 12.50, 1.5, true, '2024-01-15', '10:15:30',
      '10:15:30+02', '2024-01-15 10:15:30.123', '2024-01-15 12:15:30+02', '{"a":[1,2]}', '{"b":{"c":null}}',
      '{1,2}', '{x,y}', '\\x0102', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 hour', NULL)`);
    try {
      const e = await runQuery(
        'sql.types',
        'postgresql.Query',
        `    url: jdbc:postgresql://127.0.0.1:5432/test\n    username: postgres\n    sql: SELECT * FROM ${t}\n    fetchType: FETCH_ONE\n`,
      );
      expect(e.state.current).toBe('SUCCESS');
      expect(outputsOf(e).row).toEqual({
        i2: 1,
        i4: 2,
        i8: 3,
        big: '9007199254740993',
        num: 12.5,
        f8: 1.5,
        b: true,
        d: '2024-01-15',
        tm: '10:15:30',
        tmz: '10:15:30+02:00',
        ts: '2024-01-15T10:15:30.123',
        tsz: '2024-01-15T10:15:30Z',
        j: { a: [1, 2] },
        jb: { b: { c: null } },
        ia: [1, 2],
        ta: ['x', 'y'],
        by: 'AQI=',
        u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        iv: 'PT1H',
        n: null,
      });
    } finally {
      await db.exec(`DROP TABLE IF EXISTS ${t}`);
      await db.close();
    }
  });

  it('MariaDB', async () => {
    const db = await openMariadb();
    const t = uniqueName('baton_types');
    await db.exec(`CREATE TABLE ${t} (
      b TINYINT(1), i INT, big BIGINT, num DECIMAL(10,2), f DOUBLE, d DATE, tm TIME, dt DATETIME(3),
      ts TIMESTAMP NULL, j JSON, bl BLOB, bit1 BIT(1), n VARCHAR(10))`);
    await db.exec(`SET time_zone = '+00:00'; INSERT INTO ${t} VALUES (1, 2, 9007199254740993, 12.50, 1.5,
      '2024-01-15', '10:15:30', '2024-01-15 10:15:30.123', '2024-01-15 10:15:30', '{"a":[1,2]}', x'0102', b'1', NULL)`);
    try {
      const e = await runQuery(
        'sql.types',
        'mysql.Query',
        `    url: jdbc:mysql://127.0.0.1:3306/test\n    username: root\n    sql: SELECT * FROM ${t}\n    fetchType: FETCH_ONE\n`,
      );
      expect(e.state.current).toBe('SUCCESS');
      expect(outputsOf(e).row).toEqual({
        b: true,
        i: 2,
        big: '9007199254740993',
        num: 12.5,
        f: 1.5,
        d: '2024-01-15',
        tm: '10:15:30',
        dt: '2024-01-15T10:15:30.123',
        ts: '2024-01-15T10:15:30Z',
        j: { a: [1, 2] },
        bl: 'AQI=',
        bit1: true,
        n: null,
      });
    } finally {
      await db.exec(`DROP TABLE IF EXISTS ${t}`);
      await db.close();
    }
  });

  it('SQLite', async () => {
    const db = await openSqliteFile();
    await db.exec(`CREATE TABLE t (i INTEGER, big INTEGER, r REAL, s TEXT, bl BLOB, n TEXT);
      INSERT INTO t VALUES (1, 9007199254740993, 1.5, 'x', x'0102', NULL)`);
    try {
      const e = await runQuery(
        'sql.types',
        'sqlite.Query',
        `    url: ${db.url}\n    sql: SELECT * FROM t\n    fetchType: FETCH\n`,
      );
      expect(e.state.current).toBe('SUCCESS');
      expect(outputsOf(e).rows).toEqual([
        { i: 1, big: '9007199254740993', r: 1.5, s: 'x', bl: 'AQI=', n: null },
      ]);
    } finally {
      await db.close();
    }
  });
});

describe('failures', () => {
  it('an unreachable server: retryable, says what to check', async () => {
    const e = await runQuery(
      'sql.errors',
      'postgresql.Query',
      `    url: jdbc:postgresql://127.0.0.1:1/test\n    username: postgres\n    sql: SELECT 1\n    retry:\n      type: constant\n      interval: PT0.01S\n      maxAttempt: 2\n`,
    );
    expect(e.state.current).toBe('FAILED');
    // Retried: a connection refusal is retryable.
    expect(e.taskRuns[0]?.attempts.length).toBe(2);
    expect(await errorLog(e)).toMatch(
      /cannot connect to the PostgreSQL server 127\.0\.0\.1:1\/test as user 'postgres': .*ECONNREFUSED.*check that the server is running/,
    );
  });

  it('a refused login and an unknown database: not retryable, say what to check', async () => {
    const bad = await runQuery(
      'sql.errors',
      'mysql.Query',
      `    url: jdbc:mysql://127.0.0.1:3306/test\n    username: root\n    password: "{{ secret('SQL_TEST_PASSWORD') }}"\n    sql: SELECT 1\n    retry:\n      type: constant\n      interval: PT0.01S\n      maxAttempt: 2\n`,
    );
    expect(bad.state.current).toBe('FAILED');
    expect(bad.taskRuns[0]?.attempts.length).toBe(1);
    const message = await errorLog(bad);
    expect(message).toMatch(/refused the login: Access denied .*check `username` and `password`/);
    expect(message).not.toContain(SECRET);

    const nodb = await runQuery(
      'sql.errors',
      'postgresql.Query',
      `    url: jdbc:postgresql://127.0.0.1:5432/no_such_db_baton\n    username: postgres\n    sql: SELECT 1\n`,
    );
    expect(await errorLog(nodb)).toMatch(/has no such database: .*check the database name in `url`/);
  });

  it('an SQL error names the position; credentials from secret() reach no log or output', async () => {
    const e = await runQuery(
      'sql.errors',
      'postgresql.Query',
      `    url: "jdbc:postgresql://127.0.0.1:5432/test?password={{ secret('SQL_TEST_PASSWORD') }}"\n    username: "{{ secret('SQL_TEST_USER') }}"\n    password: "{{ secret('SQL_TEST_PASSWORD') }}"\n    sql: |\n      SELECT 1\n      FROM nowhere_baton_x\n    logLevel: TRACE\n`,
    );
    expect(e.state.current).toBe('FAILED');
    const logs = await engine.store.queryLogs({ executionId: e.id });
    expect(await errorLog(e)).toMatch(
      /SQL error in the statement at line 2, column 6 of that statement: relation "nowhere_baton_x" does not exist \[42P01\]/,
    );
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect(JSON.stringify(e)).not.toContain(SECRET);

    const ok = await runQuery(
      'sql.errors',
      'postgresql.Query',
      `    url: jdbc:postgresql://127.0.0.1:5432/test\n    username: "{{ secret('SQL_TEST_USER') }}"\n    password: "{{ secret('SQL_TEST_PASSWORD') }}"\n    sql: SELECT current_user = 'postgres' AS ok\n    fetchType: FETCH_ONE\n`,
    );
    expect(outputsOf(ok).row).toEqual({ ok: true });
    const okLogs = await engine.store.queryLogs({ executionId: ok.id });
    expect(JSON.stringify(okLogs)).not.toContain(SECRET);
  });
});
