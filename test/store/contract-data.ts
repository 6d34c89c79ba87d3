/** Store contract: logs, metrics and the key-value store. */
import { expect, it } from 'vitest';
import type { StoreRef } from './contract.ts';
import { iso, makeExecution, makeLog, pollUntil } from './fixtures.ts';

export function dataContract(store: StoreRef): void {
  it('logs: seq increases, filters by level, task and afterSeq', async () => {
    const ex = makeExecution();
    const other = makeExecution();
    await store().appendLogs([
      makeLog(ex, 'TRACE', 't'),
      makeLog(ex, 'DEBUG', 'd', { taskId: 'a', taskRunId: 'tr-a', attemptNumber: 1 }),
      makeLog(other, 'INFO', 'elsewhere'),
      makeLog(ex, 'INFO', 'i', { taskId: 'a', taskRunId: 'tr-a2' }),
    ]);
    await store().writeExecution({
      logs: [makeLog(ex, 'WARN', 'w'), makeLog(ex, 'ERROR', 'e', { taskId: 'b' })],
    });
    const all = await store().queryLogs({ executionId: ex.id });
    expect(all.map((l) => l.message)).toEqual(['t', 'd', 'i', 'w', 'e']);
    for (let i = 1; i < all.length; i++) expect(all[i]!.seq).toBeGreaterThan(all[i - 1]!.seq);
    expect(all[1]).toEqual({
      ...makeLog(ex, 'DEBUG', 'd'),
      taskId: 'a',
      taskRunId: 'tr-a',
      attemptNumber: 1,
      timestamp: all[1]!.timestamp,
      seq: all[1]!.seq,
    });
    expect(all[0]).not.toHaveProperty('taskId');
    const msg = async (f: Omit<Parameters<ReturnType<StoreRef>['queryLogs']>[0], 'executionId'>) =>
      (await store().queryLogs({ executionId: ex.id, ...f })).map((l) => l.message);
    expect(await msg({ minLevel: 'INFO' })).toEqual(['i', 'w', 'e']);
    expect(await msg({ minLevel: 'TRACE' })).toEqual(['t', 'd', 'i', 'w', 'e']);
    expect(await msg({ minLevel: 'ERROR' })).toEqual(['e']);
    expect(await msg({ taskId: 'a' })).toEqual(['d', 'i']);
    expect(await msg({ taskRunId: 'tr-a' })).toEqual(['d']);
    expect(await msg({ afterSeq: all[2]!.seq })).toEqual(['w', 'e']);
    expect(await msg({ afterSeq: all[4]!.seq })).toEqual([]);
    expect(await msg({ limit: 2 })).toEqual(['t', 'd']);
    expect(await msg({ afterSeq: all[1]!.seq, limit: 2, minLevel: 'INFO' })).toEqual(['i', 'w']);
    await store().appendLogs([makeLog(ex, 'INFO', 'later')]);
    expect(await msg({ afterSeq: all[4]!.seq })).toEqual(['later']);
  });

  it('deleteLogs by execution, flow, level and time; seqs are not reused', async () => {
    const ex = makeExecution({ namespace: 'n1', flowId: 'f1' });
    const ex2 = makeExecution({ namespace: 'n2', flowId: 'f2' });
    await store().appendLogs([
      makeLog(ex, 'INFO', 'old', { timestamp: '2020-01-01T00:00:00.000Z' }),
      makeLog(ex, 'DEBUG', 'debug'),
      makeLog(ex, 'INFO', 'new'),
      makeLog(ex2, 'INFO', 'other'),
    ]);
    const last = (await store().queryLogs({ executionId: ex.id })).at(-1)!.seq;
    expect(await store().deleteLogs({ executionId: ex.id, before: '2021-01-01T00:00:00.000Z' })).toBe(1);
    expect(await store().deleteLogs({ namespace: 'n1', levels: ['DEBUG'] })).toBe(1);
    expect((await store().queryLogs({ executionId: ex.id })).map((l) => l.message)).toEqual(['new']);
    expect(await store().deleteLogs({ namespace: 'n1', flowId: 'f1' })).toBe(1);
    await store().appendLogs([makeLog(ex, 'INFO', 'again')]);
    expect((await store().queryLogs({ executionId: ex.id }))[0]!.seq).toBeGreaterThan(last);
    expect(await store().queryLogs({ executionId: ex2.id })).toHaveLength(1);
  });

  it('rejects an unknown log level', async () => {
    const ex = makeExecution();
    await expect(
      store().appendLogs([{ ...makeLog(ex, 'INFO', 'x'), level: 'LOUD' as 'INFO' }]),
    ).rejects.toThrow();
  });

  it('metrics: appended and read back per execution in order', async () => {
    const ex = makeExecution();
    const m1 = {
      executionId: ex.id,
      taskId: 'a',
      taskRunId: 'tr',
      name: 'rows',
      type: 'counter' as const,
      value: 3,
      tags: { t: 'x' },
      timestamp: iso(1),
    };
    const m2 = {
      executionId: ex.id,
      name: 'took',
      type: 'timer' as const,
      value: 0.25,
      tags: {},
      timestamp: iso(2),
    };
    await store().appendMetrics([m1]);
    await store().writeExecution({ metrics: [m2] });
    await store().appendMetrics([{ ...m2, executionId: 'other' }]);
    expect(await store().queryMetrics(ex.id)).toEqual([m1, m2]);
    expect(await store().queryMetrics('none')).toEqual([]);
  });

  it('kv: set, get, overwrite flag, list by prefix, delete, namespaces apart', async () => {
    expect(await store().kvGet('ns', 'k')).toBeUndefined();
    expect(await store().kvSet('ns', 'k', { a: [1, 'two', null] })).toBe(true);
    const entry = await store().kvGet('ns', 'k');
    expect(entry).toMatchObject({ namespace: 'ns', key: 'k', value: { a: [1, 'two', null] } });
    expect(entry).not.toHaveProperty('expiresAt');
    expect(Number.isNaN(Date.parse(entry!.updatedAt))).toBe(false);
    expect(await store().kvSet('ns', 'k', 'no', { overwrite: false })).toBe(false);
    expect((await store().kvGet('ns', 'k'))?.value).toEqual({ a: [1, 'two', null] });
    expect(await store().kvSet('ns', 'k', 'yes')).toBe(true);
    expect((await store().kvGet('ns', 'k'))?.value).toBe('yes');
    for (const v of [0, false, null, '', 1.5, [[]]]) {
      await store().kvSet('ns', 'v', v);
      expect((await store().kvGet('ns', 'v'))?.value).toEqual(v);
    }
    await store().kvSet('ns', 'app.a', 1);
    await store().kvSet('ns', 'app.b', 2);
    await store().kvSet('ns', 'app_c', 3);
    await store().kvSet('other', 'app.x', 4);
    expect((await store().kvList('ns', 'app.')).map((e) => e.key)).toEqual(['app.a', 'app.b']);
    expect((await store().kvList('ns', 'app%')).map((e) => e.key)).toEqual([]);
    expect((await store().kvList('ns')).map((e) => e.key)).toEqual(['app.a', 'app.b', 'app_c', 'k', 'v']);
    expect(await store().kvDelete('ns', 'app.a')).toBe(true);
    expect(await store().kvDelete('ns', 'app.a')).toBe(false);
    expect((await store().kvGet('other', 'app.x'))?.value).toBe(4);
  });

  it('kv: an entry with a ttl expires; an expired key can be set again without overwrite', async () => {
    const t = Date.now();
    await store().kvSet('ns', 'short', 'v', { ttlMs: 50 });
    await store().kvSet('ns', 'long', 'v', { ttlMs: 3_600_000 });
    const long = await store().kvGet('ns', 'long');
    expect(Date.parse(long!.expiresAt!)).toBeGreaterThanOrEqual(t + 3_600_000);
    await pollUntil(async () => ((await store().kvGet('ns', 'short')) ? [] : [true]));
    expect((await store().kvList('ns')).map((e) => e.key)).toEqual(['long']);
    expect(await store().kvDelete('ns', 'short')).toBe(false);
    await store().kvSet('ns', 'again', 'old', { ttlMs: 50 });
    await pollUntil(async () => ((await store().kvGet('ns', 'again')) ? [] : [true]));
    expect(await store().kvSet('ns', 'again', 'new', { overwrite: false })).toBe(true);
    expect(await store().kvGet('ns', 'again')).toMatchObject({ value: 'new' });
    expect((await store().kvGet('ns', 'again'))?.expiresAt).toBeUndefined();
  });
}
