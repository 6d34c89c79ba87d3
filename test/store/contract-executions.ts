/** Store contract: executions, task runs and the atomicity of writeExecution. */
import { expect, it } from 'vitest';
import type { StoreRef } from './contract.ts';
import { iso, makeExecution, makeLog, makeTaskRun } from './fixtures.ts';

export function executionContract(store: StoreRef): void {
  it('returns undefined for an unknown execution', async () => {
    expect(await store().getExecution('nope')).toBeUndefined();
  });

  it('reads back the version of an execution without its task runs', async () => {
    const ex = makeExecution();
    expect(await store().getExecutionVersion(ex.id)).toBeUndefined();
    await store().writeExecution({ execution: ex });
    expect(await store().getExecutionVersion(ex.id)).toBe(0);
    await store().writeExecution({ execution: { ...ex, version: 7 } });
    expect(await store().getExecutionVersion(ex.id)).toBe(7);
  });

  it('upserts an execution and its task runs, read back in creation order', async () => {
    const ex = makeExecution({
      labels: [{ key: 'team', value: 'data' }],
      variables: { a: [1, { b: null }] },
    });
    const a = makeTaskRun(ex, 'a');
    const b = makeTaskRun(ex, 'b');
    await store().writeExecution({ execution: ex, taskRuns: [a] });
    await store().writeExecution({ taskRuns: [b] });
    // updating the first task run does not move it after the second
    const aDone = { ...a, state: { ...a.state, current: 'SUCCESS' as const }, outputs: { value: 'é✓' } };
    const running = { ...ex, state: { ...ex.state, current: 'RUNNING' as const } };
    await store().writeExecution({ execution: running, taskRuns: [aDone] });
    const read = await store().getExecution(ex.id);
    expect(read).toEqual({ ...running, taskRuns: [aDone, b] });
  });

  it('ignores taskRuns carried by the execution object itself', async () => {
    const ex = makeExecution();
    const tr = makeTaskRun(ex, 'a');
    await store().writeExecution({ execution: { ...ex, taskRuns: [tr] } as typeof ex });
    expect((await store().getExecution(ex.id))?.taskRuns).toEqual([]);
    expect((await store().listExecutions())[0]).not.toHaveProperty('taskRuns');
  });

  it('lists and counts with filters, newest first, with limit and offset', async () => {
    const t0 = Date.parse('2024-05-01T10:00:00.000Z');
    const e1 = makeExecution({ namespace: 'a', flowId: 'f' }, 'SUCCESS', t0);
    const e2 = makeExecution(
      { namespace: 'a', flowId: 'f', labels: [{ key: 'env', value: 'prod' }] },
      'FAILED',
      t0 + 1000,
    );
    const e3 = makeExecution(
      {
        namespace: 'a',
        flowId: 'g',
        labels: [
          { key: 'env', value: 'prod' },
          { key: 'team', value: 'x' },
        ],
      },
      'RUNNING',
      t0 + 2000,
    );
    const e4 = makeExecution({ namespace: 'b', flowId: 'f' }, 'SUCCESS', t0 + 3000);
    for (const e of [e1, e2, e3, e4]) await store().writeExecution({ execution: e });
    const ids = async (f: Parameters<ReturnType<StoreRef>['listExecutions']>[0]) =>
      (await store().listExecutions(f)).map((e) => e.id);

    expect(await ids({})).toEqual([e4.id, e3.id, e2.id, e1.id]);
    expect(await ids({ namespace: 'a' })).toEqual([e3.id, e2.id, e1.id]);
    expect(await ids({ namespace: 'a', flowId: 'f' })).toEqual([e2.id, e1.id]);
    expect(await ids({ states: ['SUCCESS', 'RUNNING'] })).toEqual([e4.id, e3.id, e1.id]);
    expect(await ids({ states: [] })).toEqual([]);
    expect(await ids({ labels: [{ key: 'env', value: 'prod' }] })).toEqual([e3.id, e2.id]);
    expect(
      await ids({
        labels: [
          { key: 'env', value: 'prod' },
          { key: 'team', value: 'x' },
        ],
      }),
    ).toEqual([e3.id]);
    expect(await ids({ labels: [{ key: 'env', value: 'dev' }] })).toEqual([]);
    expect(await ids({ since: iso(t0 + 1000) })).toEqual([e4.id, e3.id, e2.id]);
    // an instant without milliseconds compares like the same instant with them
    expect(await ids({ since: '2024-05-01T10:00:01Z' })).toEqual([e4.id, e3.id, e2.id]);
    expect(await ids({ until: iso(t0 + 1000) })).toEqual([e2.id, e1.id]);
    expect(await ids({ since: iso(t0 + 1000), until: '2024-05-01T10:00:02Z' })).toEqual([e3.id, e2.id]);
    expect(await ids({ limit: 2 })).toEqual([e4.id, e3.id]);
    expect(await ids({ limit: 2, offset: 2 })).toEqual([e2.id, e1.id]);
    expect(await ids({ offset: 3 })).toEqual([e1.id]);

    expect(await store().countExecutions()).toBe(4);
    expect(await store().countExecutions({ namespace: 'a', states: ['FAILED'] })).toBe(1);
    expect(await store().countExecutions({ labels: [{ key: 'env', value: 'prod' }], flowId: 'g' })).toBe(1);
    // list rows are the execution without task runs
    expect((await store().listExecutions({ namespace: 'b' }))[0]).toEqual(e4);
  });

  it('filters by namespaces and the namespaces below them, names taken literally', async () => {
    const make = (namespace: string) => makeExecution({ namespace, flowId: 'f' });
    const list = [
      make('company'),
      make('company.team'),
      make('companyx'),
      make('co_pany'),
      make('other.company'),
    ];
    for (const e of list) await store().writeExecution({ execution: e });
    const namespaces = async (within: string[]) =>
      (await store().listExecutions({ namespaces: within })).map((e) => e.namespace).sort();
    expect(await namespaces(['company'])).toEqual(['company', 'company.team']);
    expect(await namespaces(['company.team', 'other'])).toEqual(['company.team', 'other.company']);
    // `_` is not a wildcard, `%` neither
    expect(await namespaces(['co_pany'])).toEqual(['co_pany']);
    expect(await namespaces(['co%'])).toEqual([]);
    expect(await namespaces([])).toEqual([]);
    expect(await store().countExecutions({ namespaces: ['company'], flowId: 'f' })).toBe(2);
  });

  it('deleteExecutions removes executions, task runs, logs, metrics and queue messages', async () => {
    const keep = makeExecution();
    const gone = makeExecution();
    for (const e of [keep, gone]) {
      await store().writeExecution({
        execution: e,
        taskRuns: [makeTaskRun(e, 'a')],
        enqueue: [{ queue: 'executor', executionId: e.id, payload: {} }],
        logs: [makeLog(e, 'INFO', 'hi')],
        metrics: [
          { executionId: e.id, name: 'n', type: 'counter', value: 1, tags: {}, timestamp: iso(Date.now()) },
        ],
      });
    }
    expect(await store().deleteExecutions([gone.id, 'unknown'])).toBe(1);
    expect(await store().getExecution(gone.id)).toBeUndefined();
    expect(await store().queryLogs({ executionId: gone.id })).toEqual([]);
    expect(await store().queryMetrics(gone.id)).toEqual([]);
    expect(await store().countQueue()).toBe(1);
    expect((await store().getExecution(keep.id))?.taskRuns).toHaveLength(1);
    expect(await store().queryLogs({ executionId: keep.id })).toHaveLength(1);
    expect(await store().deleteExecutions([])).toBe(0);
  });

  it('writeExecution applies everything: upserts, enqueue, ack, purge, logs, metrics', async () => {
    const ex = makeExecution();
    const other = makeExecution();
    await store().writeExecution({ execution: other });
    await store().enqueue([
      { queue: 'executor', executionId: ex.id, payload: { n: 1 } },
      { queue: 'worker', executionId: other.id, payload: { n: 2 } },
      { queue: 'executor', executionId: other.id, payload: { n: 3 } },
    ]);
    const [first] = await store().claim('executor', 'me', 1, 60_000);
    expect(first?.executionId).toBe(ex.id);
    await store().writeExecution({
      execution: ex,
      taskRuns: [makeTaskRun(ex, 'a')],
      ack: [first!.id],
      purgeQueueOf: [other.id],
      enqueue: [{ queue: 'worker', executionId: ex.id, payload: { job: 'a' } }],
      logs: [makeLog(ex, 'INFO', 'started')],
      metrics: [
        { executionId: ex.id, name: 'm', type: 'timer', value: 1.5, tags: { a: 'b' }, timestamp: iso(0) },
      ],
    });
    expect(await store().countQueue('executor')).toBe(0);
    const jobs = await store().claim('worker', 'w', 10, 60_000);
    expect(jobs.map((j) => j.payload)).toEqual([{ job: 'a' }]);
    expect((await store().getExecution(ex.id))?.taskRuns).toHaveLength(1);
    expect((await store().queryLogs({ executionId: ex.id })).map((l) => l.message)).toEqual(['started']);
    expect(await store().queryMetrics(ex.id)).toEqual([
      { executionId: ex.id, name: 'm', type: 'timer', value: 1.5, tags: { a: 'b' }, timestamp: iso(0) },
    ]);
  });

  it('writeExecutions applies its writes in turn: a purge deletes what earlier writes added, not later ones', async () => {
    const [x, y] = [makeExecution(), makeExecution()];
    const payloads = async () =>
      (await store().claim('executor', 'me', 10, 60_000)).map((m) => [m.executionId, m.payload]);
    const errors = await store().writeExecutions!([
      {
        execution: x,
        enqueue: [{ queue: 'executor', executionId: x.id, payload: 'before' }],
        owners: [{ executionId: x.id, owner: 'first' }],
      },
      // its own message and owner record of the execution it settles go too
      {
        execution: y,
        purgeQueueOf: [x.id, y.id],
        enqueue: [
          { queue: 'executor', executionId: y.id, payload: 'own' },
          { queue: 'executor', executionId: x.id, payload: 'own' },
        ],
        owners: [{ executionId: y.id, owner: 'second' }],
      },
      {
        enqueue: [{ queue: 'executor', executionId: x.id, payload: 'after' }],
        owners: [{ executionId: x.id, owner: 'third' }],
      },
    ]);
    expect(errors).toEqual([undefined, undefined, undefined]);
    expect(await payloads()).toEqual([[x.id, 'after']]);
    expect(await store().getExecutionOwner(x.id)).toBe('third');
    expect(await store().getExecutionOwner(y.id)).toBeUndefined();
  });

  it('writeExecutions of independent writes applies every part of each', async () => {
    const [a, b] = [makeExecution(), makeExecution()];
    const errors = await store().writeExecutions!([
      {
        execution: a,
        taskRuns: [makeTaskRun(a, 'one'), makeTaskRun(a, 'two')],
        enqueue: [{ queue: 'worker', executionId: a.id, payload: 'job' }],
        logs: [makeLog(a, 'INFO', 'a')],
      },
      { execution: b, taskRuns: [makeTaskRun(b, 'one')], owners: [{ executionId: b.id, owner: 'me' }] },
    ]);
    expect(errors).toEqual([undefined, undefined]);
    expect((await store().getExecution(a.id))?.taskRuns.map((t) => t.taskId)).toEqual(['one', 'two']);
    expect((await store().getExecution(b.id))?.taskRuns.map((t) => t.taskId)).toEqual(['one']);
    expect((await store().claim('worker', 'w', 10, 60_000)).map((m) => m.payload)).toEqual(['job']);
    expect(await store().queryLogs({ executionId: a.id })).toHaveLength(1);
    expect(await store().getExecutionOwner(b.id)).toBe('me');
  });

  it('writeExecution is atomic: a failure in its last part leaves nothing of it', async () => {
    const ex = makeExecution();
    await store().writeExecution({
      execution: ex,
      enqueue: [{ queue: 'executor', executionId: ex.id, payload: 1 }],
    });
    const [msg] = await store().claim('executor', 'me', 1, 60_000);
    const before = await store().getExecution(ex.id);
    const running = { ...ex, state: { ...ex.state, current: 'RUNNING' as const } };
    const write = store().writeExecution({
      execution: running,
      taskRuns: [makeTaskRun(ex, 'a')],
      enqueue: [{ queue: 'worker', executionId: ex.id, payload: { job: 1 } }],
      ack: [msg!.id],
      logs: [makeLog(ex, 'INFO', 'never stored')],
      // JSON cannot carry a BigInt: serialising the metric's tags throws
      metrics: [
        {
          executionId: ex.id,
          name: 'bad',
          type: 'counter',
          value: 1,
          tags: { n: 1n } as unknown as Record<string, string>,
          timestamp: iso(0),
        },
      ],
    });
    await expect(write).rejects.toThrow();
    expect(await store().getExecution(ex.id)).toEqual(before);
    expect(await store().countQueue('worker')).toBe(0);
    expect(await store().countQueue('executor')).toBe(1);
    expect(await store().queryLogs({ executionId: ex.id })).toEqual([]);
    expect(await store().queryMetrics(ex.id)).toEqual([]);
  });

  it('writeExecution is atomic: a task run of an unknown execution rolls back the execution too', async () => {
    const ex = makeExecution();
    const orphan = { ...makeTaskRun(ex, 'b'), executionId: 'no-such-execution' };
    await expect(
      store().writeExecution({ execution: ex, taskRuns: [makeTaskRun(ex, 'a'), orphan] }),
    ).rejects.toThrow();
    expect(await store().getExecution(ex.id)).toBeUndefined();
    expect(await store().countExecutions()).toBe(0);
    // the store is still usable after the failed transaction
    await store().writeExecution({ execution: ex, taskRuns: [makeTaskRun(ex, 'a')] });
    expect((await store().getExecution(ex.id))?.taskRuns).toHaveLength(1);
  });

  it('counts executions per UTC day and state, and per flow its runs and nearest-rank duration percentiles', async () => {
    const day1 = Date.parse('2024-06-01T08:00:00.000Z');
    const day2 = Date.parse('2024-06-02T23:30:00.000Z');
    const ended = (ms: number, durationMs: number, current: 'SUCCESS' | 'FAILED', flowId = 'f') => {
      const e = makeExecution({ namespace: 'stats', flowId }, current, ms);
      return { ...e, state: { ...e.state, endDate: iso(ms + durationMs) } };
    };
    // Durations of f: 100, 200, ... 1000 ms (ten runs); nearest rank: p50 = 500, p95 = 1000.
    const runs = Array.from({ length: 10 }, (_, i) =>
      ended(i < 4 ? day1 + i : day2 + i, (i + 1) * 100, i === 9 ? 'FAILED' : 'SUCCESS'),
    );
    const running = makeExecution({ namespace: 'stats', flowId: 'g' }, 'RUNNING', day2);
    const elsewhere = ended(day1, 50, 'SUCCESS');
    for (const execution of [...runs, running, { ...elsewhere, namespace: 'other' }])
      await store().writeExecution({ execution });

    const stats = await store().executionStats({ namespace: 'stats' });
    expect(stats.daily).toEqual([
      { day: '2024-06-01', state: 'SUCCESS', count: 4 },
      { day: '2024-06-02', state: 'FAILED', count: 1 },
      { day: '2024-06-02', state: 'RUNNING', count: 1 },
      { day: '2024-06-02', state: 'SUCCESS', count: 5 },
    ]);
    expect(stats.flows).toEqual([
      { namespace: 'stats', flowId: 'f', total: 10, successes: 9, failures: 1, p50Ms: 500, p95Ms: 1000 },
      // Not ended: counted, no duration.
      { namespace: 'stats', flowId: 'g', total: 1, successes: 0, failures: 0 },
    ]);
    const since = await store().executionStats({ namespace: 'stats', since: '2024-06-02T00:00:00.000Z' });
    expect(since.daily.map((d) => d.day)).toEqual(['2024-06-02', '2024-06-02', '2024-06-02']);
  });
}
