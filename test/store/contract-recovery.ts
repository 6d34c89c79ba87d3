/**
 * Store contract: what recovery relies on. Dead letters (messages moved aside), execution owners, and
 * writes that carry KV entries (Flow trigger state) atomically with the rest.
 */
import { expect, it } from 'vitest';
import type { StoreRef } from './contract.ts';
import { makeExecution, makeLog, makeTaskRun, uid } from './fixtures.ts';

const HOUR = 3_600_000;

export function recoveryContract(store: StoreRef): void {
  it('dead letters: a message moved aside leaves the queue, keeps its payload, attempts and reason', async () => {
    const ex = makeExecution();
    await store().enqueue([
      { queue: 'executor', executionId: ex.id, payload: { type: 'created' } },
      { queue: 'executor', executionId: ex.id, payload: { type: 'kill' } },
      { queue: 'executor', executionId: 'other', payload: { type: 'kill' } },
    ]);
    const claimed = await store().claim('executor', 'e1', 10, HOUR);
    const [first, second] = claimed.filter((m) => m.executionId === ex.id);
    const before = Date.now();
    await store().writeExecution({
      execution: ex,
      deadLetters: [{ messageId: first!.id, error: 'cannot compute the step' }],
      ack: [second!.id],
    });
    expect(await store().countQueue('executor')).toBe(1);
    const letters = await store().listDeadLetters({ executionId: ex.id });
    expect(letters).toEqual([
      {
        id: expect.any(Number),
        messageId: first!.id,
        queue: 'executor',
        executionId: ex.id,
        payload: { type: 'created' },
        attempts: 1,
        error: 'cannot compute the step',
        failedAt: expect.any(String),
      },
    ]);
    expect(Date.parse(letters[0]!.failedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await store().listDeadLetters({ executionId: 'other' })).toEqual([]);
    expect((await store().listDeadLetters()).map((l) => l.messageId)).toContain(first!.id);
    // moving a message that is gone already (acked, purged) is a no-op
    await store().writeExecution({ deadLetters: [{ messageId: second!.id, error: 'late' }] });
    expect(await store().listDeadLetters({ executionId: ex.id })).toHaveLength(1);
  });

  it('dead letters go with their execution when it is deleted', async () => {
    const ex = makeExecution();
    await store().writeExecution({
      execution: ex,
      enqueue: [{ queue: 'worker', executionId: ex.id, payload: 1 }],
    });
    const [job] = await store().claim('worker', 'w', 1, HOUR);
    await store().writeExecution({ deadLetters: [{ messageId: job!.id, error: 'poison' }] });
    expect(await store().listDeadLetters({ executionId: ex.id, limit: 5 })).toHaveLength(1);
    await store().deleteExecutions([ex.id]);
    expect(await store().listDeadLetters({ executionId: ex.id })).toEqual([]);
  });

  it('owners: recorded once, listed, adopted, and gone when the execution settles', async () => {
    const ex = makeExecution({}, 'RUNNING');
    const pending = uid('exec');
    const a = uid('host:1');
    const b = uid('host:2');
    await store().writeExecution({
      execution: ex,
      enqueue: [{ queue: 'executor', executionId: pending, payload: { type: 'create-attempt' } }],
      owners: [
        { executionId: ex.id, owner: a },
        { executionId: pending, owner: a },
      ],
    });
    // an owner already recorded is kept
    await store().writeExecution({ owners: [{ executionId: ex.id, owner: b }] });
    expect(await store().getExecutionOwner(ex.id)).toBe(a);
    expect(await store().getExecutionOwner('unknown')).toBeUndefined();
    expect(await store().listExecutionOwners()).toContain(a);
    expect(await store().listOwnedExecutions(a)).toEqual(
      [
        { executionId: ex.id, state: 'RUNNING', queued: false },
        { executionId: pending, queued: true },
      ].sort((x, y) => (x.executionId < y.executionId ? -1 : 1)),
    );
    expect((await store().adoptExecutions(a, b)).sort()).toEqual([ex.id, pending].sort());
    expect(await store().listOwnedExecutions(a)).toEqual([]);
    expect(await store().getExecutionOwner(pending)).toBe(b);
    await store().writeExecution({ purgeQueueOf: [ex.id, pending] });
    expect(await store().listOwnedExecutions(b)).toEqual([]);
    expect(await store().listExecutionOwners()).not.toContain(b);
    expect(await store().countQueue()).toBe(0);
  });

  it('kv entries of a write commit with it, and roll back with it', async () => {
    const ex = makeExecution();
    await store().kvSet('__t', 'gone', { x: 1 });
    await store().writeExecution({
      execution: ex,
      kv: [
        { namespace: '__t', key: 'window', value: { a: { start: 's' } } },
        { namespace: '__t', key: 'gone' },
      ],
    });
    expect((await store().kvGet('__t', 'window'))?.value).toEqual({ a: { start: 's' } });
    expect(await store().kvGet('__t', 'gone')).toBeUndefined();
    // A write that fails (a task run of an execution that does not exist) changes no KV entry either.
    await expect(
      store().writeExecution({
        kv: [{ namespace: '__t', key: 'window', value: 'changed' }],
        logs: [makeLog(ex, 'INFO', 'never')],
        taskRuns: [{ ...makeTaskRun(ex, 'x'), executionId: 'missing' }],
      }),
    ).rejects.toThrow();
    expect((await store().kvGet('__t', 'window'))?.value).toEqual({ a: { start: 's' } });
    expect(await store().queryLogs({ executionId: ex.id })).toEqual([]);
  });
}
