/**
 * A `baton run` killed with SIGKILL leaves its script running (its process group is reparented to
 * init). The next start on the same data folder takes the job over as a new attempt: it must end the
 * first script before the second attempt starts, so that the two never run at once, and say so in the
 * new attempt's log.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { baton, hasProc, killGroup, liveGroupMembers, startRun, until } from './processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-takeover-'));
const groups: number[] = [];
afterAll(() => {
  for (const g of groups) killGroup(g);
  rmSync(dir, { recursive: true, force: true });
});

const marker = join(dir, 'attempts');
const verdict = join(dir, 'first-attempt-at-second-start');

// Each attempt appends its pid (its process group: `sh -c` leads it). The first sleeps, as a long side
// effect would; the second notes whether the first is still alive (a zombie left unreaped is dead).
const flow = `id: twice
namespace: test.takeover
tasks:
  - id: effect
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - echo $$ >> "${marker}"
      - if [ "$(wc -l < "${marker}")" -eq 1 ]; then sleep 60; fi
      - first=$(head -n 1 "${marker}")
      - if [ -r /proc/$first/stat ] && ! grep -q ') Z' /proc/$first/stat; then echo alive > "${verdict}"; else echo gone > "${verdict}"; fi
`;

const other = `id: other
namespace: test.takeover
tasks:
  - id: x
    type: io.kestra.plugin.core.log.Log
    message: x
`;

describe.skipIf(!hasProc)('taking over the job of a killed baton run', () => {
  it("ends the first attempt's script before the second attempt starts, and says so in its log", async () => {
    const file = join(dir, 'twice.yaml');
    writeFileSync(file, flow);
    const otherFile = join(dir, 'other.yaml');
    writeFileSync(otherFile, other);
    const data = join(dir, 'data');
    const run = startRun(file, data);
    await until(() => existsSync(marker) && readFileSync(marker, 'utf8').trim() !== '', 'script started');
    // The attempt is recorded too (the worker's start and the executor's record of it race the script).
    await until(
      () => run.lines.some((l) => l.type === 'taskRun' && l.taskId === 'effect' && l.state === 'RUNNING'),
      'attempt recorded',
    );
    const id = String(run.lines.find((l) => l.type === 'execution')?.id);
    const first = Number(readFileSync(marker, 'utf8').trim());
    groups.push(first);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(liveGroupMembers(first).length).toBeGreaterThan(0); // the script outlived its baton

    const next = baton('run', otherFile, '--data', data);
    expect(next.status, `${next.stdout}\n${next.stderr}`).toBe(0);
    expect(next.stdout).toContain('finished 1 execution(s) interrupted earlier');
    expect(readFileSync(verdict, 'utf8').trim()).toBe('gone');
    expect(readFileSync(marker, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(liveGroupMembers(first)).toEqual([]);

    const store = await openSqliteStore({ path: join(data, 'baton.db') });
    try {
      const e = await store.getExecution(id);
      expect(e?.state.current).toBe('SUCCESS');
      expect(e?.taskRuns[0]?.attempts, JSON.stringify(e?.taskRuns[0])).toHaveLength(2);
      const logs = await store.queryLogs({ executionId: id });
      const said = logs.filter((l) => l.message.includes("previous attempt's script"));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatchObject({ level: 'WARN', attemptNumber: 2 });
      expect(said[0]!.message).toContain(`process group ${first}`);
      expect(said[0]!.message).toContain('ended it (SIGTERM) before starting this attempt');
    } finally {
      await store.close();
    }
  });
});
