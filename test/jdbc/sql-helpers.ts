/**
 * The three SQL services of the machine as the tests reach them, each with a unique table name per run
 * (tests share the servers with other engineers' runs) and a direct connection for setup and cleanup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import pg from 'pg';

export interface Db {
  name: 'postgresql' | 'mysql' | 'sqlite';
  url: string;
  username?: string;
  /** Runs setup SQL directly (not through Baton). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export const uniqueName = (prefix: string): string =>
  `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;

export const openPostgres = async (): Promise<Db> => {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  return {
    name: 'postgresql',
    url: 'jdbc:postgresql://127.0.0.1:5432/test',
    username: 'postgres',
    exec: async (sql) => void (await client.query(sql)),
    close: () => client.end(),
  };
};

export const openMariadb = async (): Promise<Db> => {
  const conn = await mysql.createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    database: 'test',
    multipleStatements: true,
  });
  return {
    name: 'mysql',
    url: 'jdbc:mysql://127.0.0.1:3306/test',
    username: 'root',
    exec: async (sql) => void (await conn.query(sql)),
    close: () => conn.end(),
  };
};

export const openSqliteFile = async (): Promise<Db> => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-sqlite-'));
  const path = join(dir, 'test.db');
  // Waits for the lock a polling trigger holds while it marks rows, instead of failing at once.
  const db = new DatabaseSync(path, { timeout: 10_000 });
  return {
    name: 'sqlite',
    url: `jdbc:sqlite:${path}`,
    exec: async (sql) => db.exec(sql),
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
