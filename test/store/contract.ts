/**
 * The Store contract, run by every backend: `runStoreContract('sqlite', () => openSqliteStore(...))`.
 * `makeStore` must return a migrated, empty store; it is called before each test and closed after.
 * Each backend has one test file calling `runStoreContract` with its own factory (sqlite.test.ts for a
 * file and `:memory:`, postgres.test.ts for a schema of its own).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.ts';
import { accessContract } from './contract-access.ts';
import { clusterContract } from './contract-cluster.ts';
import { dataContract } from './contract-data.ts';
import { executionContract } from './contract-executions.ts';
import { queueContract } from './contract-queue.ts';
import { recoveryContract } from './contract-recovery.ts';
import { retentionContract } from './contract-retention.ts';
import { triggerContract } from './contract-triggers.ts';

export type StoreRef = () => Store;

export function runStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store | undefined;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });
    const get: StoreRef = () => {
      if (!store) throw new Error('store not open');
      return store;
    };

    it('migrate is idempotent', async () => {
      await get().migrate();
      await get().migrate();
      expect(await get().countQueue()).toBe(0);
    });

    describe('flows and revisions', () => flowContract(get));
    describe('executions', () => executionContract(get));
    describe('queue', () => queueContract(get));
    describe('logs, metrics, kv', () => dataContract(get));
    describe('dead letters, owners, atomic kv', () => recoveryContract(get));
    describe('users, tokens, audit', () => accessContract(get));
    describe('trigger states', () => triggerContract(get));
    describe('cluster instances, worker groups', () => clusterContract(get));
    describe('retention purges', () => retentionContract(get));
  });
}

function flowContract(store: StoreRef): void {
  it('same source keeps the revision, a changed source adds one', async () => {
    const r1 = await store().saveFlow('company.team', 'hello', 'id: hello\n');
    expect(r1).toMatchObject({ namespace: 'company.team', id: 'hello', revision: 1, deleted: false });
    expect(r1.source).toBe('id: hello\n');
    expect(Number.isNaN(Date.parse(r1.createdAt))).toBe(false);
    const again = await store().saveFlow('company.team', 'hello', 'id: hello\n');
    expect(again.revision).toBe(1);
    const r2 = await store().saveFlow('company.team', 'hello', 'id: hello\n# changed\n');
    expect(r2.revision).toBe(2);
    // going back to an older source is still a change
    const r3 = await store().saveFlow('company.team', 'hello', 'id: hello\n');
    expect(r3.revision).toBe(3);
    expect((await store().listRevisions('company.team', 'hello')).map((f) => f.revision)).toEqual([1, 2, 3]);
  });

  it('keeps the source byte for byte', async () => {
    const source = 'id: x  \r\nnamespace: a # é ✓\n\n\ttasks: []\n';
    await store().saveFlow('a', 'x', source);
    expect((await store().getFlow('a', 'x'))?.source).toBe(source);
  });

  it('gets the latest or a given revision, lists latest revisions per namespace', async () => {
    await store().saveFlow('a.b', 'one', 'v1');
    await store().saveFlow('a.b', 'one', 'v2');
    await store().saveFlow('a.b', 'two', 'w1');
    await store().saveFlow('c', 'three', 't1');
    expect((await store().getFlow('a.b', 'one'))?.source).toBe('v2');
    expect((await store().getFlow('a.b', 'one', 1))?.source).toBe('v1');
    expect(await store().getFlow('a.b', 'one', 9)).toBeUndefined();
    expect(await store().getFlow('a.b', 'nope')).toBeUndefined();
    const ab = await store().listFlows('a.b');
    expect(ab.map((f) => [f.id, f.revision])).toEqual([
      ['one', 2],
      ['two', 1],
    ]);
    expect((await store().listFlows()).map((f) => `${f.namespace}/${f.id}`).sort()).toEqual([
      'a.b/one',
      'a.b/two',
      'c/three',
    ]);
  });

  it('delete hides the flow but keeps revisions readable; saving again adds a revision', async () => {
    await store().saveFlow('a', 'gone', 'v1');
    await store().deleteFlow('a', 'gone');
    expect(await store().getFlow('a', 'gone')).toBeUndefined();
    expect(await store().listFlows('a')).toEqual([]);
    expect(await store().getFlow('a', 'gone', 1)).toMatchObject({ source: 'v1', deleted: true });
    const back = await store().saveFlow('a', 'gone', 'v1');
    expect(back).toMatchObject({ revision: 2, deleted: false });
    expect((await store().getFlow('a', 'gone'))?.revision).toBe(2);
    await store().deleteFlow('a', 'never-existed');
  });
}
