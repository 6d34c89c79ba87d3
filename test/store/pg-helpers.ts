/**
 * PostgreSQL for the store tests: the local server (127.0.0.1:5432, trust, database `test`), each test
 * file in schemas of its own (`baton_test_<random>`), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_URL = process.env.BATON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name; `dropSchemas` removes every schema made by this file. */
export const schemaName = (): string => {
  const name = `baton_test_${randomBytes(6).toString('hex')}`;
  made.push(name);
  return name;
};
const made: string[] = [];

let admin: Promise<pg.Client> | undefined;

/** A statement outside the store (inspection, damage, cleanup), on one connection of the test file. */
export const sql = async (text: string, params: unknown[] = []): Promise<pg.QueryResult> => {
  admin ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    return client;
  })();
  return (await admin).query(text, params);
};

/** Drops the schemas made by this file and closes the connection of `sql`. */
export const dropSchemas = async (): Promise<void> => {
  for (const name of made.splice(0)) await sql(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  const client = admin;
  admin = undefined;
  await (await client)?.end();
};
