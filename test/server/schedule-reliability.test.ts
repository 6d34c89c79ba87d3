/**
 * A `withSeconds` schedule firing every second across a SIGKILL of the server and a start on the same
 * data folder: the ticks missed while it was down are handled by `recoverMissedSchedules` (ALL fires
 * each of them, LAST only the last one, NONE none), and no tick ever starts two executions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { isTerminal } from '../../src/execution/types.ts';
import type { SqliteStore } from '../../src/store/sqlite/index.ts';
import { executionsOf, openServerStore, until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const NS = 'reliability';
const POLICIES = ['ALL', 'LAST', 'NONE'] as const;
/** How long the server stays down: several ticks are missed. */
const DOWNTIME_MS = 3_500;

const dataDir = mkdtempSync(join(tmpdir(), 'baton-schedule-kill-'));
const servers: TestServer[] = [];
let store: SqliteStore | undefined;
afterAll(async () => {
  await store?.close();
  for (const s of servers) await s.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const flowSource = (policy: string) => `id: every_second_${policy.toLowerCase()}
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.date }}"
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * * *"
    withSeconds: true
    recoverMissedSchedules: ${policy}
`;

const datesOf = async (policy: string) =>
  (await executionsOf(store!, NS, `every_second_${policy.toLowerCase()}`)).map((e) => ({
    date: Date.parse(String(e.trigger?.variables.date)),
    ended: isTerminal(e.state.current),
  }));

it('recovers missed ticks per recoverMissedSchedules across a SIGKILL, and fires no tick twice', async () => {
  const first = await startServer({ dataDir, keep: true });
  servers.push(first);
  store = await openServerStore(dataDir);
  for (const policy of POLICIES) {
    const res = await first.request('/api/v1/flows', {
      method: 'POST',
      body: flowSource(policy),
      headers: { 'content-type': 'application/x-yaml' },
    });
    expect(res.status).toBe(200);
  }
  await until(
    'three ticks of each flow before the kill',
    async () => {
      for (const policy of POLICIES) if ((await datesOf(policy)).length < 3) return false;
      return true;
    },
    30_000,
  );

  first.child.kill('SIGKILL');
  await first.exited;
  const killedAt = Date.now();
  await until('the downtime to pass', () => Date.now() - killedAt >= DOWNTIME_MS);
  const second = await startServer({ dataDir, keep: true });
  servers.push(second);
  const restartedAt = Date.now();

  await until(
    'each flow to run again for a few seconds, every execution ended',
    async () => {
      for (const policy of POLICIES) {
        const dates = await datesOf(policy);
        if (!dates.every((d) => d.ended) || Math.max(...dates.map((d) => d.date)) < restartedAt + 3_000)
          return false;
      }
      return true;
    },
    60_000,
  );
  await second.stop();

  // What the restarted scheduler said it did with each trigger's missed ticks.
  const missed = new Map<string, { missedFrom: string; nextDate: string; policy: string }>();
  for (const line of second.output().split('\n')) {
    if (!line.includes('missed schedules')) continue;
    const record = JSON.parse(line) as {
      trigger: string;
      missedFrom: string;
      nextDate: string;
      policy: string;
    };
    missed.set(record.trigger, record);
  }

  for (const policy of POLICIES) {
    const dates = (await datesOf(policy)).map((d) => d.date).sort((a, b) => a - b);
    // No tick twice.
    expect(new Set(dates).size, `${policy}: a tick fired twice`).toBe(dates.length);
    const gaps = dates.slice(1).map((d, i) => d - dates[i]!);
    const said = missed.get(`${NS}/every_second_${policy.toLowerCase()}/tick`);
    if (policy === 'ALL') {
      // Every second from the first tick to the last has its execution, the downtime's included.
      expect(
        gaps.every((g) => g === 1_000),
        `ALL: gaps ${JSON.stringify(gaps)}`,
      ).toBe(true);
      expect(said).toBeUndefined();
      expect(dates.filter((d) => d > killedAt && d < restartedAt).length).toBeGreaterThanOrEqual(3);
      continue;
    }
    expect(said, `${policy}: the restart said nothing of missed ticks`).toBeDefined();
    const from = Date.parse(said!.missedFrom);
    const next = Date.parse(said!.nextDate);
    // Ticks were missed: the next date jumped over at least two of them.
    expect(next - from).toBeGreaterThanOrEqual(2_000);
    expect(
      dates.filter((d) => d >= from && d < next),
      `${policy}: skipped ticks ran`,
    ).toEqual([]);
    expect(dates).toContain(next);
    if (policy === 'LAST') expect(next).toBeLessThanOrEqual(Date.now());
    // One gap only, over the downtime: before and after it, every second.
    expect(gaps.filter((g) => g !== 1_000)).toEqual([next - Math.max(...dates.filter((d) => d < from))]);
  }
}, 120_000);
