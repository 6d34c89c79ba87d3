/** Store contract: the queue (claim, leases, visibility, ack, owners). */
import { expect, it } from 'vitest';
import type { NewQueueMessage } from '../../src/store/types.ts';
import type { StoreRef } from './contract.ts';
import { makeExecution, pollUntil } from './fixtures.ts';

const HOUR = 3_600_000;

export function queueContract(store: StoreRef): void {
  const msgs = (
    executionId: string,
    n: number,
    queue: 'executor' | 'worker' = 'executor',
  ): NewQueueMessage[] =>
    Array.from({ length: n }, (_, i) => ({ queue, executionId, payload: { executionId, i } }));

  it('an empty queue claims nothing and has no next message', async () => {
    expect(await store().claim('worker', 'w', 10, HOUR)).toEqual([]);
    expect(await store().claim('executor', 'e', 10, HOUR)).toEqual([]);
    expect(await store().nextAvailableAt('worker')).toBeUndefined();
    expect(await store().countQueue()).toBe(0);
    expect(await store().listOwners()).toEqual([]);
  });

  it('worker claim: oldest first, up to limit, payload kept, attempts counted, exclusive', async () => {
    await store().enqueue([...msgs('x', 3, 'worker'), ...msgs('y', 1, 'executor')]);
    expect(await store().countQueue('worker')).toBe(3);
    expect(await store().countQueue('executor')).toBe(1);
    expect(await store().countQueue()).toBe(4);
    const a = await store().claim('worker', 'w1', 2, HOUR);
    expect(a.map((m) => m.payload)).toEqual([
      { executionId: 'x', i: 0 },
      { executionId: 'x', i: 1 },
    ]);
    expect(a[0]).toMatchObject({ queue: 'worker', executionId: 'x', attempts: 1 });
    expect(a[0]!.id).toBeLessThan(a[1]!.id);
    const b = await store().claim('worker', 'w2', 10, HOUR);
    expect(b.map((m) => m.payload)).toEqual([{ executionId: 'x', i: 2 }]);
    expect(await store().claim('worker', 'w3', 10, HOUR)).toEqual([]);
    expect(await store().listOwners()).toEqual(['w1', 'w2']);
    await store().ack(a.map((m) => m.id));
    expect(await store().countQueue('worker')).toBe(1);
    expect(await store().listOwners()).toEqual(['w2']);
  });

  it('executor claim: all visible messages of up to `limit` executions, in id order', async () => {
    await store().enqueue([...msgs('A', 2), ...msgs('B', 1), ...msgs('A', 1), ...msgs('C', 2)]);
    const got = await store().claim('executor', 'e1', 2, HOUR);
    expect(got.map((m) => m.executionId)).toEqual(['A', 'A', 'B', 'A']);
    expect(got.map((m) => m.id)).toEqual([...got.map((m) => m.id)].sort((x, y) => x - y));
    const rest = await store().claim('executor', 'e2', 10, HOUR);
    expect(rest.map((m) => m.executionId)).toEqual(['C', 'C']);
  });

  it('executor claim: an execution held by one owner is not given to another', async () => {
    await store().enqueue(msgs('A', 1));
    const first = await store().claim('executor', 'e1', 10, HOUR);
    expect(first).toHaveLength(1);
    await store().enqueue([...msgs('A', 1), ...msgs('B', 1)]);
    const other = await store().claim('executor', 'e2', 10, HOUR);
    expect(other.map((m) => m.executionId)).toEqual(['B']);
    // the holder itself may take the new message of its execution
    const mine = await store().claim('executor', 'e1', 10, HOUR);
    expect(mine.map((m) => m.executionId)).toEqual(['A']);
  });

  it('concurrent claims never give one execution to two owners', async () => {
    const executions = Array.from({ length: 20 }, (_, i) => `exec-${i}`);
    await store().enqueue(executions.flatMap((id) => msgs(id, 3)));
    const owners = Array.from({ length: 6 }, (_, i) => `owner-${i}`);
    const results = await Promise.all(owners.map((o) => store().claim('executor', o, 4, HOUR)));
    const holder = new Map<string, string>();
    let total = 0;
    results.forEach((batch, i) => {
      for (const m of batch) {
        total++;
        const h = holder.get(m.executionId);
        if (h !== undefined) expect(h).toBe(owners[i]);
        holder.set(m.executionId, owners[i]!);
      }
    });
    expect(total).toBe(60);
  });

  it('a lease that runs out makes messages claimable again, attempts counting up', async () => {
    await store().enqueue([...msgs('A', 1), ...msgs('W', 1, 'worker')]);
    // Long enough for the check that follows the claims to run within it on a loaded machine (three
    // PostgreSQL round trips took over 50 ms at a load of 18 on 2 cores), short enough to wait out.
    const lease = 600;
    const held = await store().claim('executor', 'dead', 10, lease);
    const job = await store().claim('worker', 'dead', 10, lease);
    expect(held).toHaveLength(1);
    expect(job).toHaveLength(1);
    expect(await store().claim('executor', 'alive', 10, HOUR)).toEqual([]);
    const again = await pollUntil(() => store().claim('executor', 'alive', 10, HOUR));
    expect(again).toEqual([{ ...held[0], attempts: 2 }]);
    const jobAgain = await pollUntil(() => store().claim('worker', 'alive', 10, HOUR));
    expect(jobAgain.map((m) => [m.id, m.attempts])).toEqual([[job[0]!.id, 2]]);
    expect(await store().listOwners()).toEqual(['alive']);
  });

  it('delayed messages stay invisible until availableAt', async () => {
    const later = Date.now() + HOUR;
    const soon = Date.now() + 100;
    await store().enqueue([
      { queue: 'worker', executionId: 'x', payload: 'later', availableAt: later },
      { queue: 'executor', executionId: 'y', payload: 'soon', availableAt: soon },
    ]);
    expect(await store().claim('worker', 'w', 10, HOUR)).toEqual([]);
    expect(await store().nextAvailableAt('worker')).toBe(later);
    expect(await store().nextAvailableAt('executor')).toBe(soon);
    const got = await pollUntil(() => store().claim('executor', 'e', 10, HOUR));
    expect(Date.now()).toBeGreaterThanOrEqual(soon);
    expect(got).toMatchObject([{ payload: 'soon', availableAt: soon }]);
  });

  it('claimExecutor tells the versions of claimed executions and when the next message is due', async () => {
    const ex = makeExecution({ version: 3 });
    const soon = Date.now() + HOUR;
    await store().writeExecution({
      execution: ex,
      enqueue: [
        ...msgs(ex.id, 2),
        { queue: 'executor', executionId: 'later', payload: 'l', availableAt: soon },
      ],
    });
    await store().enqueue(msgs('unstored', 1));
    const claim = await store().claimExecutor('e', 10, 2 * HOUR);
    expect(claim.messages.map((m) => [m.executionId, m.payload])).toEqual([
      [ex.id, { executionId: ex.id, i: 0 }],
      [ex.id, { executionId: ex.id, i: 1 }],
      ['unstored', { executionId: 'unstored', i: 0 }],
    ]);
    expect(claim.versions).toEqual(
      new Map<string, number | undefined>([
        [ex.id, 3],
        ['unstored', undefined],
      ]),
    );
    // The messages it claimed are held for two hours: the delayed one comes first.
    expect(claim.nextAvailableAt).toBe(soon);
    const empty = await store().claimExecutor('e2', 10, HOUR);
    expect(empty).toEqual({ messages: [], versions: new Map(), nextAvailableAt: soon });
  });

  it('extendLease pushes back the lease of the owner only; nextAvailableAt sees leases', async () => {
    await store().enqueue(msgs('W', 2, 'worker'));
    const [a, b] = await store().claim('worker', 'w1', 10, 1000);
    const t = Date.now();
    await store().extendLease([a!.id, b!.id], 'w1', HOUR);
    await store().extendLease([a!.id], 'intruder', 10);
    const next = await store().nextAvailableAt('worker');
    expect(next).toBeGreaterThanOrEqual(t + HOUR);
    await store().extendLease([], 'w1', HOUR);
  });

  it('releaseOwner makes its messages claimable at once', async () => {
    await store().enqueue([...msgs('A', 2), ...msgs('W', 1, 'worker')]);
    await store().claim('executor', 'gone', 10, HOUR);
    await store().claim('worker', 'gone', 10, HOUR);
    expect(await store().listOwners()).toEqual(['gone']);
    expect(await store().releaseOwner('gone')).toBe(3);
    expect(await store().listOwners()).toEqual([]);
    expect(await store().claim('executor', 'next', 10, HOUR)).toHaveLength(2);
    expect(await store().claim('worker', 'next', 10, HOUR)).toHaveLength(1);
    expect(await store().releaseOwner('nobody')).toBe(0);
  });

  it("a job's process record goes to its next claim, after a release or a lease run out", async () => {
    await store().enqueue(msgs('W', 1, 'worker'));
    const [job] = await store().claim('worker', 'w1', 10, HOUR);
    expect(job!.process).toBeUndefined();
    const first = { host: 'h', pid: 42, startTime: '123', bootId: 'b' };
    expect(await store().recordJobProcess(job!.id, 'intruder', first)).toBe(false);
    expect(await store().recordJobProcess(job!.id, 'w1', first)).toBe(true);
    await store().releaseOwner('w1');
    const [again] = await store().claim('worker', 'w2', 10, 50);
    expect(again).toMatchObject({ id: job!.id, attempts: 2, process: first });
    const second = { ...first, pid: 43, startTime: '456' };
    expect(await store().recordJobProcess(job!.id, 'w2', second)).toBe(true);
    const [third] = await pollUntil(() => store().claim('worker', 'w3', 10, HOUR));
    expect(third).toMatchObject({ id: job!.id, attempts: 3, process: second });
    expect(await store().recordJobProcess(job!.id, 'w3', undefined)).toBe(true);
    await store().releaseOwner('w3');
    const [fourth] = await store().claim('worker', 'w4', 10, HOUR);
    expect(fourth!.process).toBeUndefined();
    await store().ack([job!.id]);
    expect(await store().recordJobProcess(job!.id, 'w4', first)).toBe(false);
  });

  it('purgeQueueOf deletes every message of the finished executions, held or not', async () => {
    await store().enqueue([...msgs('A', 2), ...msgs('A', 1, 'worker'), ...msgs('B', 1)]);
    await store().claim('worker', 'w', 10, HOUR);
    await store().writeExecution({ purgeQueueOf: ['A'] });
    expect(await store().countQueue()).toBe(1);
    expect((await store().claim('executor', 'e', 10, HOUR)).map((m) => m.executionId)).toEqual(['B']);
  });
}
