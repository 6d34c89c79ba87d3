/** JDBC URLs and SQL text: statements split and `:name` parameters bound outside strings and comments. */
import { describe, expect, it } from 'vitest';
import { bindNamed, splitStatements } from '../../src/tasks/jdbc/sql-text.ts';
import { parseJdbcUrl, redactUrl } from '../../src/tasks/jdbc/url.ts';

describe('parseJdbcUrl', () => {
  it('reads Kestra JDBC URLs', () => {
    expect(parseJdbcUrl('jdbc:postgresql://127.0.0.1:5432/test')).toMatchObject({
      dialect: 'postgresql',
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
    });
    expect(parseJdbcUrl('jdbc:postgresql://db.local/app?user=u&password=p&sslmode=require')).toMatchObject({
      port: 5432,
      user: 'u',
      password: 'p',
      options: { sslmode: 'require' },
    });
    expect(parseJdbcUrl('jdbc:mariadb://h:3307/')).toMatchObject({
      dialect: 'mysql',
      port: 3307,
      database: undefined,
    });
    expect(parseJdbcUrl('jdbc:mysql://h/shop')).toMatchObject({ port: 3306, database: 'shop' });
    expect(parseJdbcUrl('jdbc:sqlite:/var/x.db')).toEqual({ dialect: 'sqlite', path: '/var/x.db' });
    expect(parseJdbcUrl('jdbc:sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(() => parseJdbcUrl('jdbc:oracle:thin:@h:1521:XE?password=hunter2')).toThrow(
      /password=\*\*\*' is not a JDBC URL Baton can use: it must start with jdbc:postgresql:/,
    );
  });

  it('redacts passwords', () => {
    expect(redactUrl('jdbc:postgresql://h/db?user=u&password=secret&x=1')).toBe(
      'jdbc:postgresql://h/db?user=u&password=***&x=1',
    );
    expect(redactUrl('jdbc:mysql://u:secret@h/db')).toBe('jdbc:mysql://u:***@h/db');
  });
});

describe('splitStatements', () => {
  it('splits on semicolons in code only, with the line of each statement', () => {
    const script = `INSERT INTO t VALUES ('a;b');
-- a comment; not a statement
/* block; comment */ SELECT "x;y" FROM t;

CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;
SELECT 'it''s; fine'`;
    expect(splitStatements(script)).toEqual([
      { sql: "INSERT INTO t VALUES ('a;b')", line: 1 },
      { sql: '-- a comment; not a statement\n/* block; comment */ SELECT "x;y" FROM t', line: 2 },
      { sql: 'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql', line: 5 },
      { sql: "SELECT 'it''s; fine'", line: 6 },
    ]);
    expect(splitStatements('  ;\n-- only a comment\n')).toEqual([]);
  });
});

describe('bindNamed', () => {
  it('binds given names only, never inside strings, comments or casts', () => {
    const sql = 'SELECT :a, :a::text, \':a\', "col:a", :missing -- :a\nFROM t WHERE b = :b';
    expect(bindNamed(sql, { a: 1, b: "x'; DROP TABLE t; --" }, 'dollar')).toEqual({
      sql: 'SELECT $1, $2::text, \':a\', "col:a", :missing -- :a\nFROM t WHERE b = $3',
      values: [1, 1, "x'; DROP TABLE t; --"],
    });
    expect(bindNamed('SELECT :a', { a: null }, 'question')).toEqual({ sql: 'SELECT ?', values: [null] });
    expect(bindNamed('SELECT :a', undefined, 'question')).toEqual({ sql: 'SELECT :a', values: [] });
  });
});
