/**
 * PurgeLogs never deletes more than asked: for each criterion, logs on both sides of it are written and
 * only those inside every bound go.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry, LogLevel } from '../../src/execution/types.ts';
import { run as purgeLogsRun } from '../../src/tasks/log/purge-logs.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => h.dispose());

const log = (
  message: string,
  timestamp: string,
  over: Partial<LogEntry> = {},
  level: LogLevel = 'INFO',
): LogEntry => ({
  executionId: 'e1',
  namespace: 'company.team',
  flowId: 'f1',
  level,
  timestamp,
  message,
  ...over,
});

/** Messages of the logs left, all executions together. */
const left = async (): Promise<string[]> => {
  const out: string[] = [];
  for (const id of ['e1', 'e2', 'e3'])
    out.push(...(await h.store.queryLogs({ executionId: id })).map((l) => l.message));
  return out.sort();
};

const purge = async (props: Record<string, unknown>) => {
  const { ctx } = h.context();
  return (await runWith(purgeLogsRun, ctx, props)).outputs as { count: number };
};

describe('PurgeLogs bounds', () => {
  it('startDate and endDate are inclusive and nothing outside them goes', async () => {
    await h.store.appendLogs([
      log('before-start', '2024-01-01T09:59:59.999Z'),
      log('at-start', '2024-01-01T10:00:00.000Z'),
      log('inside', '2024-01-01T11:00:00.000Z'),
      log('at-end', '2024-01-01T12:00:00.000Z'),
      log('after-end', '2024-01-01T12:00:00.001Z'),
    ]);
    // The bounds are written with another offset and microseconds, as `now() | dateAdd(...)` renders.
    const out = await purge({
      startDate: '2024-01-01T11:00:00.000000+01:00',
      endDate: '2024-01-01T12:00:00Z',
    });
    expect(out.count).toBe(3);
    expect(await left()).toEqual(['after-end', 'before-start']);
  });

  it('namespace is exact (no sub-namespaces, no prefix), flowId and executionId narrow', async () => {
    const at = '2024-01-01T10:00:00.000Z';
    await h.store.appendLogs([
      log('ns-flow-e1', at),
      log('ns-other-flow', at, { flowId: 'f2', executionId: 'e2' }),
      log('sub-namespace', at, { namespace: 'company.team.sub', executionId: 'e2' }),
      log('prefix-namespace', at, { namespace: 'company.teamwork', executionId: 'e2' }),
      log('ns-flow-e3', at, { executionId: 'e3' }),
    ]);
    expect(
      (await purge({ namespace: 'company.team', flowId: 'f1', executionId: 'e1', endDate: at })).count,
    ).toBe(1);
    expect(await left()).toEqual(['ns-flow-e3', 'ns-other-flow', 'prefix-namespace', 'sub-namespace']);
    expect((await purge({ namespace: 'company.team', endDate: at })).count).toBe(2);
    expect(await left()).toEqual(['prefix-namespace', 'sub-namespace']);
  });

  it('logLevels keeps the other levels; an empty namespace means none given', async () => {
    const at = '2024-01-01T10:00:00.000Z';
    await h.store.appendLogs([
      log('debug', at, {}, 'DEBUG'),
      log('info', at, {}, 'INFO'),
      log('error', at, {}, 'ERROR'),
    ]);
    const out = await purge({ namespace: '', logLevels: ['DEBUG', 'INFO'], endDate: '2030-01-01T00:00:00Z' });
    expect(out).toMatchObject({ count: 2, executionLogsCount: 2, nonExecutionLogsCount: 0 });
    expect(await left()).toEqual(['error']);
  });

  it('refuses a date it cannot read instead of purging everything', async () => {
    await h.store.appendLogs([log('kept', '2024-01-01T10:00:00.000Z')]);
    await expect(purge({ startDate: 'yesterday', endDate: '2030-01-01T00:00:00Z' })).rejects.toThrow(
      /startDate.*ISO-8601/,
    );
    expect(await left()).toEqual(['kept']);
  });
});
