/** Store contract: trigger states, written with an execution in one transaction, compare-and-set. */
import { expect, it } from 'vitest';
import { TriggerStateConflictError } from '../../src/store/errors.ts';
import type { StoreRef } from './contract.ts';
import { makeExecution } from './fixtures.ts';

const key = { namespace: 'company.team', flowId: 'daily', triggerId: 'schedule' };

export function triggerContract(store: StoreRef): void {
  it('stores a trigger state with the execution its tick created, and bumps its version on each write', async () => {
    const execution = makeExecution({ id: 'tick-1' });
    await store().writeExecution({
      execution,
      triggers: [
        {
          state: {
            ...key,
            type: 'io.kestra.plugin.core.trigger.Schedule',
            flowRevision: 2,
            nextDate: '2026-01-01T00:01:00.000Z',
            lastDate: '2026-01-01T00:00:00.000Z',
            disabled: false,
            executionId: 'tick-1',
            lockedAt: '2026-01-01T00:00:00.100Z',
            backfill: {
              start: '2025-12-01T00:00:00.000Z',
              end: '2025-12-02T00:00:00.000Z',
              currentDate: '2025-12-01T00:00:00.000Z',
              paused: false,
              inputs: { n: 1 },
              labels: [{ key: 'k', value: 'v' }],
            },
            data: { seen: ['a'] },
          },
          expectVersion: 0,
        },
      ],
    });
    expect(await store().getExecution('tick-1')).toBeDefined();
    const stored = await store().getTriggerState(key);
    expect(stored).toMatchObject({
      ...key,
      flowRevision: 2,
      nextDate: '2026-01-01T00:01:00.000Z',
      disabled: false,
      executionId: 'tick-1',
      backfill: { paused: false, inputs: { n: 1 }, labels: [{ key: 'k', value: 'v' }] },
      data: { seen: ['a'] },
      version: 1,
    });
    expect(Number.isNaN(Date.parse(stored!.updatedAt))).toBe(false);
    // Unlocking: absent fields are cleared.
    const { executionId: _e, lockedAt: _l, backfill: _b, updatedAt: _u, version, ...rest } = stored!;
    await store().writeExecution({ triggers: [{ state: rest, expectVersion: version }] });
    const unlocked = await store().getTriggerState(key);
    expect(unlocked?.version).toBe(2);
    expect(unlocked?.executionId).toBeUndefined();
    expect(unlocked?.backfill).toBeUndefined();
    expect(unlocked?.data).toEqual({ seen: ['a'] });
  });

  it('refuses a write whose expected version is stale, and rolls the whole write back', async () => {
    await store().writeExecution({ triggers: [{ state: { ...key, disabled: false }, expectVersion: 0 }] });
    // A second creator expecting "absent" loses, and its execution is not written either.
    await expect(
      store().writeExecution({
        execution: makeExecution({ id: 'twice' }),
        triggers: [{ state: { ...key, disabled: false, nextDate: 'x' }, expectVersion: 0 }],
      }),
    ).rejects.toBeInstanceOf(TriggerStateConflictError);
    expect(await store().getExecution('twice')).toBeUndefined();
    expect((await store().getTriggerState(key))?.nextDate).toBeUndefined();
    // Group commit: only the conflicting write is rolled back.
    if (store().writeExecutions) {
      const errors = await store().writeExecutions!([
        { triggers: [{ state: { ...key, disabled: true }, expectVersion: 7 }] },
        { execution: makeExecution({ id: 'other' }) },
      ]);
      expect(errors[0]).toBeInstanceOf(TriggerStateConflictError);
      expect(errors[1]).toBeUndefined();
      expect((await store().getTriggerState(key))?.disabled).toBe(false);
    }
    // Without an expected version, the write goes through.
    await store().writeExecution({ triggers: [{ state: { ...key, disabled: true } }] });
    expect(await store().getTriggerState(key)).toMatchObject({ disabled: true, version: 2 });
  });

  it('lists by namespace and flow, in key order, and deletes', async () => {
    const put = (namespace: string, flowId: string, triggerId: string) => ({
      state: { namespace, flowId, triggerId, disabled: false },
    });
    await store().writeExecution({
      triggers: [put('b', 'f', 't'), put('a', 'g', 't'), put('a', 'f', 'u'), put('a', 'f', 't')],
    });
    const ids = (list: { namespace: string; flowId: string; triggerId: string }[]) =>
      list.map((s) => `${s.namespace}/${s.flowId}/${s.triggerId}`);
    expect(ids(await store().listTriggerStates())).toEqual(['a/f/t', 'a/f/u', 'a/g/t', 'b/f/t']);
    expect(ids(await store().listTriggerStates({ namespace: 'a' }))).toEqual(['a/f/t', 'a/f/u', 'a/g/t']);
    expect(ids(await store().listTriggerStates({ namespace: 'a', flowId: 'f' }))).toEqual(['a/f/t', 'a/f/u']);
    await store().writeExecution({
      triggers: [{ delete: { namespace: 'a', flowId: 'f', triggerId: 'u' }, expectVersion: 1 }],
    });
    expect(ids(await store().listTriggerStates({ namespace: 'a', flowId: 'f' }))).toEqual(['a/f/t']);
    expect(await store().getTriggerState({ namespace: 'a', flowId: 'f', triggerId: 'u' })).toBeUndefined();
  });
}
