/**
 * `baton executions show` of an execution driven by a process of another machine: its heartbeat says
 * whether it runs (and how late its last beat is) or stopped beating (orphaned, a server takes it over).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { makeExecution } from '../store/fixtures.ts';

const main = new URL('../../bin/baton.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-owner-beat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('names a live owner of another machine by its heartbeat, and a silent one as orphaned', async () => {
  const store = await openSqliteStore({ path: join(dir, 'baton.db') });
  const live = makeExecution({}, 'RUNNING');
  const silent = makeExecution({}, 'RUNNING');
  await store.writeExecution({ execution: live, owners: [{ executionId: live.id, owner: 'far-a:7:aaa' }] });
  await store.writeExecution({
    execution: silent,
    owners: [{ executionId: silent.id, owner: 'far-b:8:bbb' }],
  });
  const row = (id: string, ago: number) => ({
    id,
    host: id.split(':')[0]!,
    pid: 7,
    roles: ['executor', 'worker'],
    slots: 4,
    busy: 1,
    startedAt: new Date(Date.now() - 3_600_000).toISOString(),
    lastBeatAt: new Date(Date.now() - ago).toISOString(),
  });
  await store.beatInstance(row('far-a:7:aaa', 2_000));
  await store.beatInstance(row('far-b:8:bbb', 120_000));
  await store.close();
  const show = async (id: string) =>
    (await promisify(execFile)(process.execPath, [main, 'executions', 'show', id, '--data', dir])).stdout;
  expect(await show(live.id)).toMatch(
    /owner: process 7 on far-a \(another machine, last heartbeat \d+ s ago\)/,
  );
  expect(await show(silent.id)).toMatch(
    /orphaned: its owner, process 8 on far-b, stopped beating 12\d s ago: a running baton server takes it over\./,
  );
});
