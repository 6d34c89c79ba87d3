/** The retention purger on a real SQLite store: a backlog goes in one round, batch by batch, with its files. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PURGE_BATCH, RetentionPurger } from '../../src/runtime/retention.ts';
import { parseRetention } from '../../src/runtime/retention-rules.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.ts';
import { iso, makeExecution } from '../store/fixtures.ts';

let store: SqliteStore;
beforeEach(async () => {
  store = await openSqliteStore({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

const HOUR = 3_600_000;
const ended = (endMs: number, namespace = 'company.team') => {
  const e = makeExecution({ namespace }, 'SUCCESS', endMs - 1000);
  return { ...e, state: { ...e.state, endDate: iso(endMs) } };
};

it('purges a backlog larger than a batch in one round, deleting each execution’s files', async () => {
  const old = Array.from({ length: PURGE_BATCH * 2 + 7 }, () => ended(Date.now() - 3 * HOUR));
  const young = ended(Date.now());
  const running = makeExecution({}, 'RUNNING', Date.now() - 3 * HOUR);
  await store.writeExecutions([...old, young, running].map((execution) => ({ execution })));
  await store.appendAudit([{ at: iso(Date.now() - 3 * HOUR), actor: 'a', action: 'x', target: 't' }]);
  const files: string[] = [];
  const warnings: string[] = [];
  const purger = new RetentionPurger({
    store,
    config: parseRetention({ retention: '1h', audit: '1h' }),
    deleteFiles: async (ref) => {
      // One execution's files cannot be deleted: reported, the round goes on.
      if (ref.executionId === old[3]!.id) throw new Error('EACCES');
      files.push(ref.executionId);
      return 1;
    },
    log: { info: () => undefined, warn: (o, m) => warnings.push(`${m} ${JSON.stringify(o)}`) },
  });
  const result = await purger.round();
  expect(result).toMatchObject({ executions: old.length, files: old.length - 1, audit: 1 });
  expect(files).toHaveLength(old.length - 1);
  expect(warnings).toEqual([expect.stringContaining(`retention: execution files not deleted`)]);
  expect(warnings[0]).toContain(old[3]!.id);
  expect((await store.listExecutions()).map((e) => e.id).sort()).toEqual([young.id, running.id].sort());
  expect(await store.countAudit()).toBe(0);
  expect(await purger.round()).toMatchObject({ executions: 0, audit: 0 });
});

it('purges nothing without rules, and each namespace by its own age', async () => {
  const ci = ended(Date.now() - 3 * HOUR, 'ci.builds');
  const prod = ended(Date.now() - 3 * HOUR, 'prod');
  await store.writeExecutions([ci, prod].map((execution) => ({ execution })));
  const purger = (retention: Parameters<typeof parseRetention>[0]) =>
    new RetentionPurger({
      store,
      config: parseRetention(retention),
      deleteFiles: async () => 0,
      log: { info: () => undefined, warn: () => undefined },
    });
  expect((await purger({}).round()).executions).toBe(0);
  expect((await purger({ retention: '1h', namespaces: ['prod=30d'] }).round()).executions).toBe(1);
  expect((await store.listExecutions()).map((e) => e.id)).toEqual([prod.id]);
});
