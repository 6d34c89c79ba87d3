import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, openSqliteStore, SqliteStore } from '../../src/store/sqlite/index.ts';
import { runStoreContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreContract('sqlite file', () => openSqliteStore({ path: join(dir, `store-${++n}.db`) }));
runStoreContract('sqlite :memory:', () => openSqliteStore({ path: ':memory:' }));

describe('SQLite specifics', () => {
  it('opens in WAL mode with foreign keys, NORMAL sync by default, FULL on request', async () => {
    const normal = await openSqliteStore({ path: join(dir, 'pragmas.db') });
    expect(normal.settings()).toEqual({
      journalMode: 'wal',
      synchronous: 'NORMAL',
      busyTimeoutMs: 5000,
      foreignKeys: true,
    });
    await normal.close();
    const full = await openSqliteStore({
      path: join(dir, 'pragmas.db'),
      synchronous: 'FULL',
      busyTimeoutMs: 250,
    });
    expect(full.settings()).toMatchObject({ synchronous: 'FULL', busyTimeoutMs: 250 });
    await full.close();
    await expect(openSqliteStore({ path: ':memory:', synchronous: 'OFF' as 'FULL' })).rejects.toThrow(
      /NORMAL/,
    );
  });

  it('records migrations once and keeps data across reopen', async () => {
    const path = join(dir, 'reopen.db');
    const a = await openSqliteStore({ path });
    await a.saveFlow('n', 'f', 'src');
    await a.kvSet('n', 'k', 1);
    await a.close();
    const b = await openSqliteStore({ path });
    await b.migrate();
    expect((await b.getFlow('n', 'f'))?.revision).toBe(1);
    expect(b.kvGetSync('n', 'k')?.value).toBe(1);
    expect(b.kvGetSync('n', 'missing')).toBeUndefined();
    await b.close();
    const raw = new DatabaseSync(path);
    const versions = raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    raw.close();
    expect(versions.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('two connections on one file share the queue without double claims', async () => {
    const path = join(dir, 'shared.db');
    const a = await openSqliteStore({ path });
    const b = await openSqliteStore({ path });
    await a.enqueue([
      { queue: 'executor', executionId: 'X', payload: 1 },
      { queue: 'executor', executionId: 'Y', payload: 2 },
    ]);
    const fromA = await a.claim('executor', 'a', 1, 60_000);
    const fromB = await b.claim('executor', 'b', 10, 60_000);
    expect(fromA.map((m) => m.executionId)).toEqual(['X']);
    expect(fromB.map((m) => m.executionId)).toEqual(['Y']);
    await a.close();
    await b.close();
  });

  it('says to migrate when used before migrate()', async () => {
    const s = new SqliteStore({ path: ':memory:' });
    await expect(s.countQueue()).rejects.toThrow(/migrate/);
    await s.close();
  });
});
