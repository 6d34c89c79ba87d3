/**
 * Ctrl-C (SIGINT) and SIGTERM on a real `baton run` whose script runs: the first signal stops the
 * script (its whole process group), ends the execution KILLED and says how to restart it; a second
 * signal exits at once, still leaving no script behind.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { hasProc, killGroup, liveGroupMembers, startRun, until } from './processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-signals-'));
const groups: number[] = [];
afterAll(() => {
  for (const g of groups) killGroup(g);
  rmSync(dir, { recursive: true, force: true });
});

/** A flow whose script writes its pid (its process group) to `marker` and then sleeps. */
const sleeper = (name: string, marker: string, trapTerm = false) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `id: ${name}
namespace: test.signals
tasks:
  - id: long
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - ${trapTerm ? "trap '' TERM; " : ''}echo $$ > ${marker}; sleep 60; echo done
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: not reached
`,
  );
  return file;
};

const stateOf = async (data: string, id: string) => {
  const store = await openSqliteStore({ path: join(data, 'baton.db') });
  try {
    return await store.getExecution(id);
  } finally {
    await store.close();
  }
};

describe.skipIf(!hasProc)('signals on baton run', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} kills the running script's process group, ends the execution KILLED and says how to restart it`, async () => {
      const marker = join(dir, `${signal}.pid`);
      const data = join(dir, `data-${signal}`);
      const run = startRun(sleeper(`sleep-${signal.toLowerCase()}`, marker), data);
      await until(() => existsSync(marker) && readFileSync(marker, 'utf8').trim() !== '', 'script started');
      const pgid = Number(readFileSync(marker, 'utf8'));
      groups.push(pgid);
      expect(liveGroupMembers(pgid).length).toBeGreaterThan(0);
      run.child.kill(signal);
      expect(await run.exited).toBe(code);
      const id = String(run.lines.find((l) => l.type === 'execution')?.id);
      expect(run.stderr()).toContain(`baton restart ${id}`);
      expect(liveGroupMembers(pgid)).toEqual([]);
      const e = await stateOf(data, id);
      expect(e?.state.current).toBe('KILLED');
      expect(e?.taskRuns.find((t) => t.taskId === 'long')?.state.current).toBe('KILLED');
      expect(e?.taskRuns.some((t) => t.taskId === 'after')).toBe(false);
    });
  }

  it('a second signal exits at once, killing a script that ignores SIGTERM', async () => {
    const marker = join(dir, 'twice.pid');
    const data = join(dir, 'data-twice');
    const run = startRun(sleeper('stubborn', marker, true), data);
    await until(() => existsSync(marker) && readFileSync(marker, 'utf8').trim() !== '', 'script started');
    const pgid = Number(readFileSync(marker, 'utf8'));
    groups.push(pgid);
    run.child.kill('SIGINT');
    await until(() => run.stderr().includes('send it again'), 'first signal acknowledged');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(liveGroupMembers(pgid)).toEqual([]);
  });
});
