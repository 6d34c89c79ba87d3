/**
 * The Store contract on PostgreSQL, and what is PostgreSQL's own: migrations under an advisory lock,
 * the append-only audit log, claims shared by connections, LISTEN/NOTIFY, connection errors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { StoreFailureError, storeFailureOf } from '../../src/store/errors.ts';
import { PgDb } from '../../src/store/postgres/db.ts';
import { MIGRATIONS, openPgStore, PgStore } from '../../src/store/postgres/index.ts';
import { withStoreRetry } from '../../src/store/retry.ts';
import { runStoreContract } from './contract.ts';
import { makeExecution, makeLog, makeTaskRun } from './fixtures.ts';
import { dropSchemas, PG_URL, schemaName, sql } from './pg-helpers.ts';

afterAll(dropSchemas);

/**
 * Every table of the store, emptied between contract tests: DELETE, quicker than TRUNCATE on tables
 * this small, but for the audit log, whose triggers refuse DELETE (TRUNCATE fires no row trigger).
 */
const TABLES = [
  'flows',
  'executions',
  'task_runs',
  'queue',
  'logs',
  'metrics',
  'kv',
  'dead_letters',
  'execution_owners',
  'users',
  'api_tokens',
  'triggers',
];

const contractSchema = schemaName();
runStoreContract('postgres', async () => {
  const store = await openPgStore({ url: PG_URL, schema: contractSchema });
  await sql(
    [
      ...TABLES.map((t) => `DELETE FROM "${contractSchema}".${t}`),
      `TRUNCATE "${contractSchema}".audit_log`,
    ].join(';\n'),
  );
  return store;
});

describe('PostgreSQL specifics', () => {
  it('two concurrent migrations of a fresh schema both succeed, and record each version once', async () => {
    const schema = schemaName();
    const [a, b] = await Promise.all([
      openPgStore({ url: PG_URL, schema }),
      openPgStore({ url: PG_URL, schema }),
    ]);
    await a.saveFlow('n', 'f', 'src');
    expect((await b.getFlow('n', 'f'))?.revision).toBe(1);
    await Promise.all([a.close(), b.close()]);
    const versions = await sql(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('takes the schema from a ?schema= parameter of the URL', async () => {
    const schema = schemaName();
    const store = await openPgStore({ url: `${PG_URL}?schema=${schema}` });
    await store.kvSet('n', 'k', 1);
    await store.close();
    expect((await sql(`SELECT key FROM "${schema}".kv`)).rows).toEqual([{ key: 'k' }]);
    expect(() => new PgStore({ url: PG_URL, schema: 'bad; DROP TABLE x' })).toThrow(/identifier/);
  });

  it('sets synchronous_commit on its connections only when asked (?synchronous_commit=), with the schema', async () => {
    const schema = schemaName();
    const show = async (url: string) => {
      const db = new PgDb({ url });
      try {
        return await db.one<{ s: string; p: string }>(
          "SELECT current_setting('synchronous_commit') AS s, current_setting('search_path') AS p",
        );
      } finally {
        await db.close();
      }
    };
    const server = (await sql("SELECT current_setting('synchronous_commit') AS s")).rows[0].s;
    expect((await show(`${PG_URL}?schema=${schema}`))?.s).toBe(server);
    expect(await show(`${PG_URL}?schema=${schema}&synchronous_commit=off`)).toEqual({ s: 'off', p: schema });
    expect(() => new PgDb({ url: `${PG_URL}?synchronous_commit=maybe` })).toThrow(/must be one of/);
  });

  it('the audit log is append-only in the database itself: UPDATE and DELETE are refused', async () => {
    const schema = schemaName();
    const store = await openPgStore({ url: PG_URL, schema });
    await store.appendAudit([
      { at: new Date().toISOString(), actor: 'ana', action: 'flow.create', target: 'a.b' },
    ]);
    await store.close();
    await expect(sql(`UPDATE "${schema}".audit_log SET actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM "${schema}".audit_log`)).rejects.toThrow(/append-only/);
    await sql(`INSERT INTO "${schema}".audit_log (at, actor, action, target) VALUES ('t', 'bob', 'x', 'y')`);
    const actors = await sql(`SELECT actor FROM "${schema}".audit_log ORDER BY seq`);
    expect(actors.rows.map((r) => r.actor)).toEqual(['ana', 'bob']);
  });

  it('one retention purger at a time: a purge while another holds the lock leaves the round to it', async () => {
    const schema = schemaName();
    const store = await openPgStore({ url: PG_URL, schema });
    const e = makeExecution({}, 'SUCCESS', Date.now() - 60_000);
    await store.writeExecution({ execution: { ...e, state: { ...e.state, endDate: e.state.startDate } } });
    const key = [17064, `${schema}/retention`];
    await sql('SELECT pg_advisory_lock($1, hashtext($2))', key);
    try {
      expect(await store.purgeEndedExecutions({ endedBefore: new Date().toISOString() }, 10)).toBeUndefined();
      expect(await store.purgeAudit(new Date().toISOString(), 10)).toBe(0);
    } finally {
      await sql('SELECT pg_advisory_unlock($1, hashtext($2))', key);
    }
    expect(await store.purgeEndedExecutions({ endedBefore: new Date().toISOString() }, 10)).toHaveLength(1);
    await store.close();
  });

  it('two stores on one schema share the queue without double claims', async () => {
    const schema = schemaName();
    const a = await openPgStore({ url: PG_URL, schema });
    const b = await openPgStore({ url: PG_URL, schema });
    await a.enqueue([
      { queue: 'executor', executionId: 'X', payload: 1 },
      { queue: 'executor', executionId: 'Y', payload: 2 },
      ...Array.from({ length: 20 }, (_, i) => ({ queue: 'worker' as const, executionId: 'W', payload: i })),
    ]);
    const fromA = await a.claim('executor', 'a', 1, 60_000);
    const fromB = await b.claim('executor', 'b', 10, 60_000);
    expect(fromA.map((m) => m.executionId)).toEqual(['X']);
    expect(fromB.map((m) => m.executionId)).toEqual(['Y']);
    const jobs = await Promise.all([a, b, a, b].map((s, i) => s.claim('worker', `w${i}`, 5, 60_000)));
    const ids = jobs.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(20);
    await a.close();
    await b.close();
  });

  it('a notification reaches the listeners of a queue when an enqueue commits, in another store', async () => {
    const schema = schemaName();
    const listening = await openPgStore({ url: PG_URL, schema });
    const writer = await openPgStore({ url: PG_URL, schema });
    const woken: string[] = [];
    let wake: () => void = () => undefined;
    const worker = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const stopExecutor = await listening.onQueue('executor', () => woken.push('executor'));
    const stopWorker = await listening.onQueue('worker', () => {
      woken.push('worker');
      wake();
    });
    // A rolled-back write notifies nobody; the next one does, at commit.
    await expect(
      writer.writeExecution({
        enqueue: [{ queue: 'executor', executionId: 'e', payload: 1 }],
        taskRuns: [{ ...makeTaskRun(makeExecution(), 'x'), executionId: 'missing' }],
      }),
    ).rejects.toThrow();
    await writer.writeExecution({ enqueue: [{ queue: 'worker', executionId: 'e', payload: 1 }] });
    await worker;
    expect(woken).toEqual(['worker']);
    await stopExecutor();
    await stopWorker();
    await listening.close();
    await writer.close();
  });

  it('writeExecutions commits each write alone: a failing one is rolled back, the others kept', async () => {
    const s = await openPgStore({ url: PG_URL, schema: schemaName() });
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
    expect(await s.getExecution(b.id)).toBeUndefined();
    expect(await s.countQueue('worker')).toBe(0);
    expect(await s.countQueue('executor')).toBe(1);
    expect(await s.queryLogs({ executionId: a.id })).toHaveLength(1);
    await s.close();
  });

  it('a server that cannot be reached is a retryable failure naming the host', async () => {
    const store = new PgStore({ url: 'postgres://postgres@127.0.0.1:1/test' });
    const error = await store.countQueue().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreFailureError);
    expect(storeFailureOf(error)).toMatchObject({
      kind: 'unreachable',
      code: 'ECONNREFUSED',
      retryable: true,
    });
    expect((error as Error).message).toContain('127.0.0.1:1/test');
    const retries: number[] = [];
    await expect(
      withStoreRetry(() => store.countQueue(), { budgetMs: 200, onRetry: (_e, d) => retries.push(d) }),
    ).rejects.toThrow(/127\.0\.0\.1:1\/test.*still after/);
    expect(retries.length).toBeGreaterThan(0);
    await store.close();
  });
});
