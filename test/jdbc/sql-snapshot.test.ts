/**
 * `afterSQL` acts on what `sql` saw: a row inserted between the trigger's SELECT and its UPDATE is not
 * marked processed (it would be lost: no execution got it). PostgreSQL by its REPEATABLE READ snapshot;
 * MariaDB by SERIALIZABLE, where the INSERT waits for the poll's commit.
 */
import { describe, expect, it } from 'vitest';
import { acquireSession } from '../../src/tasks/jdbc/pools.ts';
import { parseJdbcUrl } from '../../src/tasks/jdbc/url.ts';
import { until } from '../helpers/schedule.ts';
import { openMariadb, openPostgres, uniqueName } from './sql-helpers.ts';

describe.each([
  ['postgresql', openPostgres],
  ['mysql', openMariadb],
] as const)('%s', (name, open) => {
  it('a row inserted between sql and afterSQL stays unprocessed', async () => {
    const db = await open();
    const table = uniqueName('baton_snap');
    await db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, processed INTEGER NOT NULL DEFAULT 0)`);
    await db.exec(`INSERT INTO ${table} (id) VALUES (1)`);
    const session = await acquireSession(parseJdbcUrl(db.url), { url: db.url, username: db.username }, '/');
    try {
      await session.begin(true);
      const seen = await session.run(`SELECT id FROM ${table} WHERE processed = 0`);
      expect(seen.rows).toEqual([{ id: 1 }]);
      const inserted = db.exec(`INSERT INTO ${table} (id) VALUES (2)`);
      if (name === 'mysql') {
        // The INSERT must be at the server, waiting on the poll's locks, before the UPDATE runs.
        await until('the INSERT to wait for the lock', async () => {
          const mysql = await import('mysql2/promise');
          const c = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: 'test' });
          const [rows] = await c.query(
            "SELECT count(*) AS n FROM information_schema.processlist WHERE info LIKE 'INSERT INTO baton_snap%'",
          );
          await c.end();
          return Number((rows as { n: number }[])[0]?.n) > 0;
        });
      } else await inserted;
      await session.run(`UPDATE ${table} SET processed = 1 WHERE processed = 0`);
      await session.commit();
      await inserted;
      const after = await acquireSession(parseJdbcUrl(db.url), { url: db.url, username: db.username }, '/');
      const rows = (await after.run(`SELECT id, processed FROM ${table} ORDER BY id`)).rows;
      after.release();
      expect(rows).toEqual([
        { id: 1, processed: 1 },
        { id: 2, processed: 0 },
      ]);
    } finally {
      session.release();
      await db.exec(`DROP TABLE IF EXISTS ${table}`);
      await db.close();
    }
  });
});
