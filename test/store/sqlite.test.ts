import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, openSqliteStore, SqliteStore } from '../../src/store/sqlite/index.ts';
import { applyMigrations } from '../../src/store/sqlite/migrations.ts';
import { runStoreContract } from './contract.ts';
import { makeExecution, makeLog, makeTaskRun } from './fixtures.ts';

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
    expect((await b.kvGet('n', 'k'))?.value).toBe(1);
    expect(await b.kvGet('n', 'missing')).toBeUndefined();
    await b.close();
    const raw = new DatabaseSync(path);
    const versions = raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    raw.close();
    expect(versions.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('migration 10 moves the triggers the Toggle task turned off from the KV store to trigger states', async () => {
    const path = join(dir, 'toggles.db');
    const raw = new DatabaseSync(path);
    applyMigrations(
      raw,
      MIGRATIONS.filter((m) => m.version < 10),
    );
    raw
      .prepare('INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)')
      .run(
        '__baton_trigger_toggles',
        'company.team/daily/every_day',
        '{"disabled":true}',
        '2026-01-01T00:00:00Z',
      );
    raw.close();
    const store = await openSqliteStore({ path });
    expect(await store.listTriggerStates()).toMatchObject([
      { namespace: 'company.team', flowId: 'daily', triggerId: 'every_day', disabled: true, version: 1 },
    ]);
    expect(await store.kvList('__baton_trigger_toggles')).toEqual([]);
    await store.close();
  });

  it('migration 14 records when the executions stored before it ended, for retention', async () => {
    const path = join(dir, 'ended.db');
    const raw = new DatabaseSync(path);
    applyMigrations(
      raw,
      MIGRATIONS.filter((m) => m.version < 14),
    );
    const insert = raw.prepare(
      'INSERT INTO executions (id, namespace, flow_id, state, created_at, updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const row = (id: string, current: string, endDate?: string) => {
      const state = { current, startDate: '2026-01-01T00:00:00.000Z', endDate, histories: [] };
      const data = JSON.stringify({ id, namespace: 'n', flowId: 'f', state });
      insert.run(id, 'n', 'f', current, '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z', data);
    };
    row('ended', 'SUCCESS', '2026-01-02T00:00:00Z');
    row('running', 'RUNNING');
    raw.close();
    const store = await openSqliteStore({ path });
    const scope = (endedBefore: string) => ({ endedBefore });
    expect(await store.purgeEndedExecutions(scope('2026-01-01T12:00:00Z'), 10)).toEqual([]);
    expect(await store.purgeEndedExecutions(scope('2027-01-01T00:00:00Z'), 10)).toEqual([
      { id: 'ended', namespace: 'n', flowId: 'f' },
    ]);
    await store.close();
  });

  it('the audit log is append-only in the database itself: UPDATE and DELETE are refused', async () => {
    const path = join(dir, 'audit.db');
    const store = await openSqliteStore({ path });
    await store.appendAudit([
      { at: new Date().toISOString(), actor: 'ana', action: 'flow.create', target: 'a.b' },
    ]);
    await store.close();
    const raw = new DatabaseSync(path);
    try {
      expect(() => raw.exec("UPDATE audit_log SET actor = 'mallory'")).toThrow(/append-only/);
      expect(() => raw.exec('DELETE FROM audit_log')).toThrow(/append-only/);
      raw.exec("INSERT INTO audit_log (at, actor, action, target) VALUES ('t', 'bob', 'x', 'y')");
      expect(
        raw
          .prepare('SELECT actor FROM audit_log ORDER BY seq')
          .all()
          .map((r) => r.actor),
      ).toEqual(['ana', 'bob']);
    } finally {
      raw.close();
    }
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

describe('SQLite group commit and migrations', () => {
  it('writeExecutions commits each write alone: a failing one is rolled back, the others kept', async () => {
    const s = await openSqliteStore({ path: join(dir, 'batch.db') });
    const [a, b, c] = [makeExecution(), makeExecution(), makeExecution()];
    const errors = await s.writeExecutions([
      { execution: a, logs: [makeLog(a, 'INFO', 'a')] },
      {
        execution: b,
        enqueue: [{ queue: 'worker', executionId: b.id, payload: 1 }],
        taskRuns: [{ ...makeTaskRun(b, 'x'), executionId: 'missing' }],
      },
      { execution: c, enqueue: [{ queue: 'executor', executionId: c.id, payload: 2 }] },
    ]);
    expect(errors.map((e) => e === undefined)).toEqual([true, false, true]);
    expect(await s.getExecution(a.id)).toBeDefined();
    expect(await s.getExecution(b.id)).toBeUndefined();
    expect(await s.getExecution(c.id)).toBeDefined();
    expect(await s.countQueue('worker')).toBe(0);
    expect(await s.countQueue('executor')).toBe(1);
    expect(await s.queryLogs({ executionId: a.id })).toHaveLength(1);
    await s.close();
  });

  it('migrates a database created at version 1, keeping its rows', async () => {
    const path = join(dir, 'v1.db');
    const raw = new DatabaseSync(path);
    applyMigrations(raw, MIGRATIONS.slice(0, 1));
    const t = Date.now();
    raw.exec(`INSERT INTO executions (id, namespace, flow_id, state, created_at, updated_at, data)
      VALUES ('e1', 'n', 'f', 'RUNNING', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z',
      '{"id":"e1","namespace":"n","flowId":"f","labels":[]}')`);
    raw.exec(
      `INSERT INTO task_runs (id, execution_id, data) VALUES ('t2', 'e1', '{"id":"t2"}'), ('t1', 'e1', '{"id":"t1"}')`,
    );
    raw.exec(`INSERT INTO logs (execution_id, namespace, flow_id, level, level_rank, timestamp, message)
      VALUES ('e1', 'n', 'f', 'INFO', 2, '2024-01-01T00:00:00.000Z', 'kept')`);
    raw
      .prepare(`INSERT INTO queue (queue, execution_id, payload, available_at, locked_by, locked_until)
      VALUES ('worker', 'e1', '1', ?, NULL, NULL), ('worker', 'e1', '2', ?, 'old', ?)`)
      .run(t - 10, t - 10, t + 3_600_000);
    raw.close();
    const s = await openSqliteStore({ path });
    expect((await s.getExecution('e1'))?.taskRuns.map((r) => r.id)).toEqual(['t2', 't1']);
    expect((await s.queryLogs({ executionId: 'e1' })).map((l) => l.message)).toEqual(['kept']);
    expect((await s.claim('worker', 'w', 10, 1000)).map((m) => m.payload)).toEqual([1]);
    expect(await s.nextAvailableAt('worker')).toBeGreaterThan(t + 1000);
    await s.close();
  });
});
