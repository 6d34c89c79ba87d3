/**
 * The heartbeat's sweep on a real SQLite store: a process whose row stops changing is declared dead
 * once this process has seen the same beat for the threshold (its leases released, its executions
 * taken over only by a process that adopts), a process that beats again is alive again, and a clean
 * stop removes the row.
 */
import { afterEach, expect, it } from 'vitest';
import { Heartbeat, isAlive } from '../../src/runtime/heartbeat.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.ts';
import type { ClusterInstance } from '../../src/store/types.ts';
import { until } from '../helpers/schedule.ts';
import { makeExecution } from '../store/fixtures.ts';

const HOUR = 3_600_000;
const stores: SqliteStore[] = [];
const beats: Heartbeat[] = [];
afterEach(async () => {
  for (const b of beats.splice(0)) await b.stop();
  for (const s of stores.splice(0)) await s.close();
});

const other = (id: string, lastBeatAt = new Date().toISOString()): ClusterInstance => ({
  id,
  host: 'elsewhere',
  pid: 42,
  roles: ['executor', 'worker'],
  slots: 4,
  busy: 1,
  startedAt: lastBeatAt,
  lastBeatAt,
});

const setup = async (adopt: boolean) => {
  const store = await openSqliteStore({ path: ':memory:' });
  stores.push(store);
  const notices: string[] = [];
  const heartbeat = new Heartbeat({
    store,
    id: 'me:1:aaa',
    roles: ['executor'],
    slots: 0,
    busy: () => 0,
    adopt,
    onNotice: (m) => notices.push(m),
    onError: (e) => notices.push(`error: ${String(e)}`),
    beatMs: 20,
    deadAfterMs: 200,
  });
  beats.push(heartbeat);
  return { store, heartbeat, notices };
};

it('declares a silent process dead: leases released, executions adopted by a process that adopts', async () => {
  const { store, heartbeat, notices } = await setup(true);
  const ex = makeExecution();
  await store.writeExecution({
    execution: ex,
    enqueue: [{ queue: 'worker', executionId: ex.id, payload: 'job' }],
    owners: [{ executionId: ex.id, owner: 'far:7:bbb' }],
  });
  await store.claim('worker', 'far:7:bbb', 1, HOUR);
  await store.beatInstance(other('far:7:bbb'));
  const started = Date.now();
  await heartbeat.start();
  expect((await store.listInstances()).map((i) => i.id)).toEqual(['far:7:bbb', 'me:1:aaa']);
  await until('the death notice', () => notices.length > 0);
  expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  expect(notices).toEqual([
    expect.stringMatching(
      /^process 7 on far missed its heartbeats for \d+ s: declared dead; 1 queued message\(s\) handed out again, 1 execution\(s\) taken over$/,
    ),
  ]);
  expect(await store.getExecutionOwner(ex.id)).toBe('me:1:aaa');
  const [again] = await store.claim('worker', 'w2', 1, HOUR);
  expect(again).toMatchObject({ payload: 'job', attempts: 2 });
  // Its row stays for the cluster view, seen as dead by wall-clock lag once the threshold passed.
  const row = (await store.listInstances()).find((i) => i.id === 'far:7:bbb')!;
  expect(isAlive(row, Date.parse(row.lastBeatAt) + 100, 200)).toBe(true);
  expect(isAlive(row, Date.parse(row.lastBeatAt) + 300, 200)).toBe(false);
  // A clean stop removes this process's own row.
  await heartbeat.stop();
  expect((await store.listInstances()).map((i) => i.id)).toEqual(['far:7:bbb']);
});

it('a process that does not adopt (baton run) only releases leases; a process beating is never declared', async () => {
  const { store, heartbeat, notices } = await setup(false);
  const ex = makeExecution();
  await store.writeExecution({ execution: ex, owners: [{ executionId: ex.id, owner: 'far:7:bbb' }] });
  await store.beatInstance(other('far:7:bbb'));
  await store.beatInstance(other('live:8:ccc'));
  // live:8 keeps beating (every 50 ms, well within the 200 ms threshold)
  const keep = setInterval(() => void store.beatInstance(other('live:8:ccc')), 50);
  try {
    await heartbeat.start();
    await until('the death notice', () => notices.length > 0);
    // Our sweeps go on past live:8's threshold (our own row beats on) without declaring it.
    const after = Date.now() + 300;
    await until('sweeps past the threshold', async () =>
      (await store.listInstances()).some((i) => i.id === 'me:1:aaa' && Date.parse(i.lastBeatAt) > after),
    );
  } finally {
    clearInterval(keep);
  }
  expect(notices).toEqual([
    expect.stringMatching(/^process 7 on far .*declared dead; 0 queued message\(s\) handed out again$/),
  ]);
  expect(await store.getExecutionOwner(ex.id)).toBe('far:7:bbb');
});

it('an outage of the database is not counted against the others: nobody is declared dead when it ends', async () => {
  const store = await openSqliteStore({ path: ':memory:' });
  stores.push(store);
  // The database unreachable for this process: its beats fail, as the other's writes do meanwhile.
  let down = false;
  const cutOff = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key !== 'beatInstance' && key !== 'listInstances') return value;
      return (...args: unknown[]) =>
        down
          ? Promise.reject(new Error('connect ECONNREFUSED'))
          : (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
    },
  });
  const notices: string[] = [];
  const heartbeat = new Heartbeat({
    store: cutOff,
    id: 'me:1:aaa',
    roles: ['executor'],
    slots: 0,
    busy: () => 0,
    adopt: true,
    onNotice: (m) => notices.push(m),
    onError: () => undefined,
    beatMs: 20,
    deadAfterMs: 200,
  });
  beats.push(heartbeat);
  await store.beatInstance(other('peer:8:ccc'));
  await heartbeat.start();
  down = true;
  await until('the outage notice', () => notices.some((n) => n.startsWith('heartbeat failed')));
  // Three times the death threshold without any beat seen; then this process beats again first (the
  // other's beat comes a moment later): its first look must not judge the other on the outage.
  await new Promise((r) => setTimeout(r, 600));
  down = false;
  await until('the notice of beats written again', () =>
    notices.some((n) => n.startsWith('heartbeat written')),
  );
  const keep = setInterval(() => void store.beatInstance(other('peer:8:ccc')), 20);
  try {
    const after = Date.now() + 300;
    await until('sweeps past the threshold', async () =>
      (await store.listInstances()).some((i) => i.id === 'me:1:aaa' && Date.parse(i.lastBeatAt) > after),
    );
  } finally {
    clearInterval(keep);
  }
  expect(notices.filter((n) => /declared dead/.test(n))).toEqual([]);
  expect(notices).toEqual([
    'heartbeat failed (connect ECONNREFUSED); trying again every 20 ms',
    expect.stringMatching(/^heartbeat written again after \d+ ms \(\d+ beat\(s\) failed meanwhile\)$/),
  ]);
});
