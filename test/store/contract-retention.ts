/** Store contract: the retention purges (ended executions with everything of theirs, old audit entries). */
import { expect, it } from 'vitest';
import type { Execution, State } from '../../src/execution/types.ts';
import type { StoreRef } from './contract.ts';
import { iso, makeExecution, makeLog, makeTaskRun } from './fixtures.ts';

const HOUR = 3_600_000;
const now = Date.now();

/** An execution in `state`, started an hour before `endMs`, ended at `endMs` when the state is final. */
const execution = (
  state: State,
  endMs: number,
  overrides: Partial<Omit<Execution, 'taskRuns' | 'state'>> = {},
) => {
  const e = makeExecution(overrides, state, endMs - HOUR);
  const final = !['CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'KILLING'].includes(state);
  return final ? { ...e, state: { ...e.state, endDate: iso(endMs) } } : e;
};

export function retentionContract(store: StoreRef): void {
  /** Writes an execution with a task run, a log, a metric, a queue message and a dead letter. */
  const stored = async (e: Omit<Execution, 'taskRuns'>) => {
    await store().writeExecution({
      execution: e,
      taskRuns: [makeTaskRun(e, 'a', 'SUCCESS')],
      enqueue: [
        { queue: 'executor', executionId: e.id, payload: {} },
        { queue: 'worker', executionId: e.id, payload: { job: 1 } },
      ],
      logs: [makeLog(e, 'INFO', 'hi')],
      metrics: [{ executionId: e.id, name: 'n', type: 'counter', value: 1, tags: {}, timestamp: iso(now) }],
    });
    const [job] = await store().claim('worker', 'w', 10, 60_000);
    await store().writeExecution({ deadLetters: [{ messageId: job!.id, error: 'bad' }] });
    return e;
  };
  const left = async (id: string) => ({
    execution: (await store().getExecution(id)) !== undefined,
    logs: (await store().queryLogs({ executionId: id })).length,
    metrics: (await store().queryMetrics(id)).length,
    deadLetters: (await store().listDeadLetters({ executionId: id })).length,
  });
  const GONE = { execution: false, logs: 0, metrics: 0, deadLetters: 0 };
  const KEPT = { execution: true, logs: 1, metrics: 1, deadLetters: 1 };

  it('purges ended executions older than the date with everything of theirs, never unended ones', async () => {
    const old = await stored(execution('SUCCESS', now - 5 * HOUR));
    const oldFailed = await stored(execution('FAILED', now - 4 * HOUR));
    const recent = await stored(execution('SUCCESS', now - HOUR));
    // Started long ago but not ended: kept whatever their age.
    const unended = [];
    for (const state of ['RUNNING', 'PAUSED', 'QUEUED', 'CREATED'] as const)
      unended.push(await stored(execution(state, now - 10 * HOUR)));
    const purged = await store().purgeEndedExecutions({ endedBefore: iso(now - 2 * HOUR) }, 500);
    expect(purged).toEqual(
      [old, oldFailed].map((e) => ({ id: e.id, namespace: e.namespace, flowId: e.flowId })),
    );
    expect(await left(old.id)).toEqual(GONE);
    expect(await left(oldFailed.id)).toEqual(GONE);
    for (const e of [recent, ...unended]) expect(await left(e.id)).toEqual(KEPT);
    // Queue rows went with the executions: those of the kept executions remain.
    expect(await store().countQueue('executor')).toBe(5);
    expect(await store().purgeEndedExecutions({ endedBefore: iso(now - 2 * HOUR) }, 500)).toEqual([]);
  });

  it('purges in batches, the oldest end first', async () => {
    const ids = [];
    for (let i = 5; i >= 1; i--) ids.push((await stored(execution('SUCCESS', now - i * HOUR))).id);
    const scope = { endedBefore: iso(now) };
    expect((await store().purgeEndedExecutions(scope, 2))?.map((p) => p.id)).toEqual(ids.slice(0, 2));
    expect((await store().purgeEndedExecutions(scope, 2))?.map((p) => p.id)).toEqual(ids.slice(2, 4));
    expect((await store().purgeEndedExecutions(scope, 2))?.map((p) => p.id)).toEqual(ids.slice(4));
  });

  it('keeps an execution restarted since it ended', async () => {
    const e = await stored(execution('FAILED', now - 5 * HOUR));
    await store().writeExecution({
      execution: { ...e, state: { ...e.state, current: 'RUNNING', endDate: undefined } },
    });
    expect(await store().purgeEndedExecutions({ endedBefore: iso(now) }, 500)).toEqual([]);
    expect((await left(e.id)).execution).toBe(true);
  });

  it('scopes: a namespace and those below it, but not the excepted ones', async () => {
    const at = now - 5 * HOUR;
    const inside = await stored(execution('SUCCESS', at, { namespace: 'company' }));
    const below = await stored(execution('SUCCESS', at, { namespace: 'company.team' }));
    const excepted = await stored(execution('SUCCESS', at, { namespace: 'company.team.keep' }));
    const lookalike = await stored(execution('SUCCESS', at, { namespace: 'companyx' }));
    const other = await stored(execution('SUCCESS', at, { namespace: 'other' }));
    const purged = await store().purgeEndedExecutions(
      { endedBefore: iso(now), namespace: 'company', except: ['company.team.keep'] },
      500,
    );
    expect(new Set(purged?.map((p) => p.id))).toEqual(new Set([inside.id, below.id]));
    for (const e of [excepted, lookalike, other]) expect((await left(e.id)).execution).toBe(true);
    // The global rule, but for `other`, governed by a rule of its own.
    const rest = await store().purgeEndedExecutions({ endedBefore: iso(now), except: ['other'] }, 500);
    expect(new Set(rest?.map((p) => p.id))).toEqual(new Set([excepted.id, lookalike.id]));
    expect((await left(other.id)).execution).toBe(true);
  });

  it('purges audit entries older than the date, in batches; newer ones stay', async () => {
    const entry = (ms: number, target: string) => ({
      at: iso(ms),
      actor: 'ana',
      action: 'flow.create',
      target,
    });
    await store().appendAudit([
      entry(now - 5 * HOUR, 'a'),
      entry(now - 4 * HOUR, 'b'),
      entry(now - 3 * HOUR, 'c'),
      entry(now - HOUR, 'd'),
    ]);
    const before = iso(now - 2 * HOUR);
    expect(await store().purgeAudit(before, 2)).toBe(2);
    expect((await store().queryAudit()).map((a) => a.target)).toEqual(['d', 'c']);
    expect(await store().purgeAudit(before, 2)).toBe(1);
    expect(await store().purgeAudit(before, 2)).toBe(0);
    expect((await store().queryAudit()).map((a) => a.target)).toEqual(['d']);
    // Appending still works after a purge (the permit is gone with the purge's transaction).
    await store().appendAudit([entry(now - 10 * HOUR, 'e')]);
    expect(await store().countAudit()).toBe(2);
  });
}
