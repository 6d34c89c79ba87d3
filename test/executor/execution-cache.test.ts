import { describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { ExecutionCache } from '../../src/executor/execution-cache.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { makeExecution } from '../store/fixtures.ts';

const execution = (version: number): Execution => ({ ...makeExecution({ version }), taskRuns: [] });

describe('ExecutionCache', () => {
  it("uses a copy only at the store's version, told or read", async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    const cache = new ExecutionCache(store);
    const kept = execution(2);
    await store.writeExecution({ execution: { ...kept, state: { ...kept.state, current: 'RUNNING' } } });
    cache.keep(kept);
    // Told the store's version by the claim: the copy, no read (the stored one differs: RUNNING).
    expect(await cache.getAt(kept.id, 2)).toBe(kept);
    // Read: the store's version is the copy's, the copy again.
    expect(await cache.get(kept.id)).toBe(kept);
    // Another version: read from the store, and the copy dropped.
    expect((await cache.getAt(kept.id, 3))?.state.current).toBe('RUNNING');
    expect(cache.at(kept.id, 2)).toBeUndefined();
    await store.close();
  });

  it('keeps at most 10,000 copies, dropping the least lately kept', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    const cache = new ExecutionCache(store);
    const all = Array.from({ length: 10_001 }, () => execution(0));
    cache.keep(all[0]!);
    for (const e of all.slice(1, 10_000)) cache.keep(e);
    cache.keep(all[0]!); // kept anew: now the latest
    cache.keep(all[10_000]!);
    expect(cache.at(all[0]!.id, 0)).toBe(all[0]);
    expect(cache.at(all[1]!.id, 0)).toBeUndefined();
    expect(cache.at(all[2]!.id, 0)).toBe(all[2]);
    await store.close();
  });
});
