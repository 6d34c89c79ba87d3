/**
 * Store contract: the cluster's instance rows (heartbeats) and the worker groups of queued jobs.
 */
import { expect, it } from 'vitest';
import type { ClusterInstance } from '../../src/store/types.ts';
import type { StoreRef } from './contract.ts';
import { makeExecution } from './fixtures.ts';

const HOUR = 3_600_000;

const instance = (id: string, more: Partial<ClusterInstance> = {}): ClusterInstance => ({
  id,
  host: 'host-a',
  pid: 1234,
  roles: ['executor', 'worker'],
  slots: 8,
  busy: 0,
  startedAt: '2026-01-01T00:00:00.000Z',
  lastBeatAt: '2026-01-01T00:00:05.000Z',
  queueLagMs: 0,
  ...more,
});

export function clusterContract(store: StoreRef): void {
  it('instances: a beat inserts then rewrites the row; delete removes it', async () => {
    await store().beatInstance(instance('h:1:a'));
    await store().beatInstance(instance('h:2:b', { roles: ['worker'], workerGroup: 'gpu', slots: 2 }));
    expect(await store().listInstances()).toEqual([
      instance('h:1:a'),
      instance('h:2:b', { roles: ['worker'], workerGroup: 'gpu', slots: 2 }),
    ]);
    const later = { busy: 3, lastBeatAt: '2026-01-01T00:00:10.000Z', queueLagMs: 1250 };
    await store().beatInstance(instance('h:1:a', later));
    const [first] = await store().listInstances();
    expect(first).toEqual(instance('h:1:a', later));
    expect(await store().deleteInstance('h:1:a')).toBe(true);
    expect(await store().deleteInstance('h:1:a')).toBe(false);
    expect((await store().listInstances()).map((i) => i.id)).toEqual(['h:2:b']);
    // a process with no role (a bare store user) and no group
    await store().beatInstance(instance('h:3:c', { roles: [], slots: 0 }));
    expect((await store().listInstances()).find((i) => i.id === 'h:3:c')).toEqual(
      instance('h:3:c', { roles: [], slots: 0 }),
    );
  });

  it('worker groups: a job of a group goes only to workers of that group, others to the default group', async () => {
    const ex = makeExecution();
    await store().enqueue([
      { queue: 'worker', executionId: ex.id, payload: 'default-1' },
      { queue: 'worker', executionId: ex.id, payload: 'gpu-1', workerGroup: 'gpu' },
      { queue: 'worker', executionId: ex.id, payload: 'cpu-1', workerGroup: 'cpu' },
      { queue: 'worker', executionId: ex.id, payload: 'default-2' },
      // a group on an executor message means nothing: every executor takes it
      { queue: 'executor', executionId: ex.id, payload: 'event', workerGroup: 'gpu' },
    ]);
    expect(
      (await store().claim('worker', 'w-gpu', 10, HOUR, { workerGroup: 'gpu' })).map((m) => m.payload),
    ).toEqual(['gpu-1']);
    expect((await store().claim('worker', 'w-other', 10, HOUR, { workerGroup: 'none' })).length).toBe(0);
    expect((await store().claim('worker', 'w-default', 10, HOUR)).map((m) => m.payload)).toEqual([
      'default-1',
      'default-2',
    ]);
    expect((await store().claim('executor', 'e', 10, HOUR)).map((m) => m.payload)).toEqual(['event']);
    // released (its worker died): claimed again by its group only, as a new attempt
    expect(await store().releaseOwner('w-gpu')).toBe(1);
    expect((await store().claim('worker', 'w-default', 10, HOUR)).length).toBe(0);
    const [again] = await store().claim('worker', 'w-gpu-2', 10, HOUR, { workerGroup: 'gpu' });
    expect(again).toMatchObject({ payload: 'gpu-1', attempts: 2 });
    expect(
      (await store().claim('worker', 'w-cpu', 10, HOUR, { workerGroup: 'cpu' })).map((m) => m.payload),
    ).toEqual(['cpu-1']);
  });
}
