/**
 * SQLite under failures of the database itself, produced for real: a second connection holding the
 * write lock (SQLITE_BUSY), a size cap reached (SQLITE_FULL, as a full disk), a read-only connection,
 * and a queue row damaged by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreFailure, StoreUnavailableError, storeFailureOf } from '../../src/store/errors.ts';
import { withStoreRetry } from '../../src/store/retry.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { makeExecution, makeLog } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-store-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOUR = 3_600_000;

const errorOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('store failures', () => {
  it('classifies real SQLite errors: busy (retryable), full, read-only; others are not store failures', () => {
    const path = join(dir, 'classify.db');
    const a = new DatabaseSync(path, { timeout: 10 });
    a.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x)');
    const b = new DatabaseSync(path, { timeout: 10 });
    b.exec('BEGIN IMMEDIATE');
    const busy = storeFailureOf(errorOf(() => a.exec('BEGIN IMMEDIATE')));
    b.exec('ROLLBACK');
    expect(busy).toMatchObject({ kind: 'busy', code: 'SQLITE_BUSY', retryable: true });
    a.exec('PRAGMA max_page_count = 3');
    const full = storeFailureOf(errorOf(() => a.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(50_000))));
    expect(full).toMatchObject({ kind: 'full', code: 'SQLITE_FULL', retryable: false });
    const ro = new DatabaseSync(path, { readOnly: true });
    const readOnly = storeFailureOf(errorOf(() => ro.exec('INSERT INTO t VALUES (1)')));
    expect(readOnly).toMatchObject({ kind: 'read-only', code: 'SQLITE_READONLY', retryable: false });
    expect(storeFailureOf(errorOf(() => a.exec('SELECT * FROM nope')))).toBeUndefined();
    expect(storeFailureOf(new Error('x'))).toBeUndefined();
    expect(describeStoreFailure(readOnly!, '/d/baton.db')).toMatch(/\/d\/baton\.db.*--data DIR/);
    for (const db of [a, b, ro]) db.close();
  });

  it('withStoreRetry waits out a lock held by another connection, and gives up on a full database', async () => {
    const path = join(dir, 'retry.db');
    const store = await openSqliteStore({ path, busyTimeoutMs: 10 });
    const other = new DatabaseSync(path, { timeout: 10 });
    other.exec('BEGIN IMMEDIATE');
    const retried: unknown[] = [];
    const ex = makeExecution();
    const write = withStoreRetry(() => store.writeExecution({ execution: ex }), {
      onRetry: (error) => {
        retried.push(error);
        // The write has met the lock: let it go now.
        if (other.isTransaction) other.exec('COMMIT');
      },
    });
    await write;
    expect(retried.length).toBeGreaterThan(0);
    expect(await store.getExecution(ex.id)).toBeDefined();
    other.close();
    await store.close();

    const capped = await openSqliteStore({ path: join(dir, 'capped.db'), maxSizeBytes: 200_000 });
    const big = makeExecution();
    const error = await withStoreRetry(() =>
      capped.writeExecution({ execution: big, logs: [makeLog(big, 'INFO', 'x'.repeat(400_000))] }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).failure.kind).toBe('full');
    // nothing of the write is there
    expect(await capped.getExecution(big.id)).toBeUndefined();
    await capped.close();
  });

  it('a full database fails a whole group commit (no write half-applied, no misleading savepoint error)', async () => {
    const store = await openSqliteStore({ path: join(dir, 'group.db'), maxSizeBytes: 200_000 });
    const [a, b] = [makeExecution(), makeExecution()];
    const error = await store
      .writeExecutions([{ execution: a }, { execution: b, logs: [makeLog(b, 'INFO', 'y'.repeat(400_000))] }])
      .catch((e: unknown) => e);
    expect(storeFailureOf(error)?.code).toBe('SQLITE_FULL');
    expect(await store.getExecution(a.id)).toBeUndefined();
    expect(await store.getExecution(b.id)).toBeUndefined();
    // the store goes on once the write is small enough
    await store.writeExecution({ execution: a });
    expect(await store.getExecution(a.id)).toBeDefined();
    await store.close();
  });

  it('a queue row whose payload is not JSON is handed out flagged, without failing the claim', async () => {
    const path = join(dir, 'garbage.db');
    const store = await openSqliteStore({ path });
    await store.enqueue([{ queue: 'worker', executionId: 'good', payload: { ok: 1 } }]);
    const raw = new DatabaseSync(path);
    raw.exec(`INSERT INTO queue (queue, execution_id, payload, available_at, visible_at)
      VALUES ('worker', 'bad', '{"type": "job", oops', 0, 0)`);
    raw.close();
    const claimed = await store.claim('worker', 'w', 10, HOUR);
    expect(claimed.map((m) => [m.executionId, m.unreadable === undefined])).toEqual([
      ['good', true],
      ['bad', false],
    ]);
    const bad = claimed.find((m) => m.executionId === 'bad')!;
    expect(bad.payload).toBe('{"type": "job", oops');
    await store.writeExecution({ deadLetters: [{ messageId: bad.id, error: bad.unreadable! }] });
    expect(await store.listDeadLetters({ executionId: 'bad' })).toMatchObject([
      { payload: '{"type": "job", oops', error: expect.stringContaining('not valid JSON') },
    ]);
    await store.close();
  });
});
