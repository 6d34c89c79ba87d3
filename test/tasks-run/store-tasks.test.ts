import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution, State } from '../../src/execution/types.ts';
import { run as countRun } from '../../src/tasks/execution/count.run.ts';
import { run as purgeExecutionsRun } from '../../src/tasks/execution/purge-executions.run.ts';
import { run as kvDeleteRun } from '../../src/tasks/kv/delete.run.ts';
import { run as kvGetRun } from '../../src/tasks/kv/get.run.ts';
import { run as kvGetKeysRun } from '../../src/tasks/kv/get-keys.run.ts';
import { run as kvSetRun } from '../../src/tasks/kv/set.run.ts';
import { run as purgeLogsRun } from '../../src/tasks/log/purge-logs.run.ts';
import { run as stateDeleteRun } from '../../src/tasks/state/delete.run.ts';
import { run as stateGetRun } from '../../src/tasks/state/get.run.ts';
import { run as stateSetRun } from '../../src/tasks/state/set.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.dispose());

const saveExecution = async (id: string, flowId: string, state: State, startDate: string) => {
  const e: Omit<Execution, 'taskRuns'> = {
    id,
    namespace: 'company.team',
    flowId,
    flowRevision: 1,
    state: { current: state, startDate, histories: [{ state, date: startDate }] },
    inputs: {},
    labels: [],
    attemptNumber: 1,
  };
  await h.store.writeExecution({ execution: e });
};

describe('kv tasks', () => {
  it('Set then Get, GetKeys, Delete in the flow namespace', async () => {
    const { ctx } = h.context();
    await runWith(kvSetRun, ctx, { key: 'my_key', value: '42', kvType: 'NUMBER' });
    await runWith(kvSetRun, ctx, { key: 'my_other', value: '{"a":1}', kvType: 'JSON' });
    expect(await runWith(kvGetRun, ctx, { key: 'my_key' })).toEqual({ outputs: { value: 42 } });
    expect(await runWith(kvGetRun, ctx, { key: 'my_other' })).toEqual({ outputs: { value: { a: 1 } } });
    expect(await runWith(kvGetKeysRun, ctx, { prefix: 'my_' })).toEqual({
      outputs: { keys: ['my_key', 'my_other'] },
    });
    expect(await runWith(kvDeleteRun, ctx, { key: 'my_key' })).toEqual({ outputs: { deleted: true } });
    expect(await runWith(kvGetRun, ctx, { key: 'my_key' })).toEqual({ outputs: { value: null } });
    expect(await runWith(kvDeleteRun, ctx, { key: 'my_key' })).toEqual({ outputs: { deleted: false } });
  });
  it('honours overwrite: false, errorOnMissing and another namespace', async () => {
    const { ctx } = h.context();
    await runWith(kvSetRun, ctx, { key: 'k', value: 'v1', namespace: 'other' });
    await expect(
      runWith(kvSetRun, ctx, { key: 'k', value: 'v2', namespace: 'other', overwrite: false }),
    ).rejects.toThrow('already exists');
    expect(await runWith(kvGetRun, ctx, { key: 'k', namespace: 'other' })).toEqual({
      outputs: { value: 'v1' },
    });
    await expect(runWith(kvGetRun, ctx, { key: 'missing', errorOnMissing: true })).rejects.toMatchObject({
      retryable: false,
    });
    await expect(runWith(kvSetRun, ctx, { key: 'n', value: 'abc', kvType: 'NUMBER' })).rejects.toThrow(
      'NUMBER',
    );
  });
  it('ttl expires the value', async () => {
    const { ctx } = h.context();
    await runWith(kvSetRun, ctx, { key: 'short', value: 'x', ttl: 'PT0.05S' });
    await new Promise((r) => setTimeout(r, 80)); // the TTL itself is what is under test
    expect(await runWith(kvGetRun, ctx, { key: 'short' })).toEqual({ outputs: { value: null } });
  });
});

describe('state tasks (deprecated, over KV)', () => {
  it('merges, reads and deletes, per taskrun value', async () => {
    const { ctx } = h.context();
    expect(await runWith(stateSetRun, ctx, { name: 's', data: { a: 1 } })).toMatchObject({
      outputs: { count: 1 },
    });
    expect(await runWith(stateSetRun, ctx, { name: 's', data: { b: 2 } })).toMatchObject({
      outputs: { count: 2 },
    });
    expect(await runWith(stateGetRun, ctx, { name: 's' })).toEqual({
      outputs: { data: { a: 1, b: 2 }, count: 2 },
    });
    const other = h.context({ value: 'v1' }).ctx;
    expect(await runWith(stateGetRun, other, { name: 's' })).toEqual({ outputs: { data: {}, count: 0 } });
    expect(await runWith(stateDeleteRun, ctx, { name: 's' })).toEqual({ outputs: { deleted: true } });
    await expect(runWith(stateGetRun, ctx, { name: 's', errorOnMissing: true })).rejects.toThrow(
      'Unable to find',
    );
    // reserved prefix: invisible to a user listing of ordinary keys
    const keys = (await h.store.kvList('company.team')).map((e) => e.key);
    expect(keys.every((k) => !k.startsWith('s'))).toBe(true);
  });
});

describe('execution.Count / PurgeExecutions / log.PurgeLogs', () => {
  it('counts per flow, filters with the expression, sums total', async () => {
    await saveExecution('c1', 'counted', 'SUCCESS', '2024-01-01T10:00:00.000Z');
    await saveExecution('c2', 'counted', 'SUCCESS', '2024-01-02T10:00:00.000Z');
    await saveExecution('c3', 'counted', 'FAILED', '2024-01-02T10:00:00.000Z');
    await saveExecution('c4', 'empty', 'FAILED', '2024-01-02T10:00:00.000Z');
    const { ctx } = h.context();
    const flows = [
      { namespace: 'company.team', flowId: 'counted' },
      { namespace: 'company.team', flowId: 'empty' },
    ];
    const out = await runWith(countRun, ctx, { flows, states: ['SUCCESS'], expression: '{{ count > 0 }}' });
    expect(out.outputs).toEqual({
      results: [{ namespace: 'company.team', flowId: 'counted', count: 2 }],
      total: 2,
    });
    const zero = await runWith(countRun, ctx, { flows, states: ['SUCCESS'], expression: '{{ count == 0 }}' });
    expect(zero.outputs).toEqual({
      results: [{ namespace: 'company.team', flowId: 'empty', count: 0 }],
      total: 0,
    });
    const windowed = await runWith(countRun, ctx, {
      flows: [flows[0]],
      endDate: '2024-01-01T12:00:00.000Z',
      expression: '{{ true }}',
    });
    expect(windowed.outputs).toMatchObject({ total: 1 });
  });
  it('PurgeLogs deletes logs of an execution before endDate', async () => {
    const ts = '2024-01-01T00:00:00.000Z';
    const base = { namespace: 'company.team', flowId: 'counted', level: 'INFO' as const, timestamp: ts };
    await h.store.appendLogs([
      { ...base, executionId: 'c1', message: 'a' },
      { ...base, executionId: 'c1', message: 'b' },
    ]);
    const { ctx } = h.context();
    const out = await runWith(purgeLogsRun, ctx, { executionId: 'c1', endDate: '2025-01-01T00:00:00Z' });
    expect(out.outputs).toMatchObject({ count: 2 });
    expect(await h.store.queryLogs({ executionId: 'c1' })).toEqual([]);
  });
  it('PurgeExecutions deletes matching terminated executions', async () => {
    const { ctx } = h.context();
    const out = await runWith(purgeExecutionsRun, ctx, {
      flowId: 'counted',
      endDate: '2025-01-01T00:00:00Z',
      states: ['FAILED'],
      purgeStorage: false,
    });
    expect(out.outputs).toMatchObject({ executionsCount: 1 });
    expect(await h.store.getExecution('c3')).toBeUndefined();
    expect(await h.store.getExecution('c1')).toBeDefined();
  });
});
