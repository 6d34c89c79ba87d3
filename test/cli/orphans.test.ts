/**
 * Orphans: a `baton run` killed with SIGKILL, and its lease run out long before the next start (made to
 * look so with SQL). `baton executions show` says the execution is orphaned and how it will be resumed;
 * the next start, whatever it runs, takes it over and finishes it; `baton restart` resumes it too.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { baton, killGroup, startRun, until } from './processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-orphans-'));
const groups: number[] = [];
afterAll(() => {
  for (const g of groups) killGroup(g);
  rmSync(dir, { recursive: true, force: true });
});

const other = join(dir, 'other.yaml');
writeFileSync(
  other,
  'id: other\nnamespace: test.orphans\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Log\n    message: x\n',
);

/** A flow whose middle task blocks on its first attempt (writing its pid to `marker`) and not after. */
const flowFile = (name: string, marker: string) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `id: ${name}
namespace: test.orphans
tasks:
  - id: before
    type: io.kestra.plugin.core.debug.Return
    format: before
  - id: interrupted
    type: io.kestra.plugin.scripts.shell.Script
    script: |
      if [ ! -f "${marker}.done" ]; then touch "${marker}.done"; echo $$ > "${marker}"; sleep 60; fi
      echo second attempt
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: after
`,
  );
  return file;
};

/** Runs the flow, SIGKILLs `baton run` once the script runs, and makes its leases look run out. */
const orphan = async (name: string) => {
  const marker = join(dir, `${name}.pid`);
  const data = join(dir, `data-${name}`);
  const run = startRun(flowFile(name, marker), data);
  await until(() => existsSync(marker) && readFileSync(marker, 'utf8').trim() !== '', 'script started');
  // The attempt is recorded too (the worker's start and the executor's record of it race the script).
  await until(
    () => run.lines.some((l) => l.type === 'taskRun' && l.taskId === 'interrupted' && l.state === 'RUNNING'),
    'attempt recorded',
  );
  const id = String(run.lines.find((l) => l.type === 'execution')?.id);
  run.child.kill('SIGKILL');
  await run.exited;
  // The machine would have taken the script down with it.
  const pgid = Number(readFileSync(marker, 'utf8'));
  groups.push(pgid);
  killGroup(pgid);
  unlinkSync(marker);
  const raw = new DatabaseSync(join(data, 'baton.db'));
  raw.exec('UPDATE queue SET locked_until = 1, visible_at = available_at WHERE locked_by IS NOT NULL');
  raw.close();
  return { id, data, pid: run.child.pid };
};

const read = async (data: string, id: string) => {
  const store = await openSqliteStore({ path: join(data, 'baton.db') });
  try {
    return await store.getExecution(id);
  } finally {
    await store.close();
  }
};

describe('orphaned executions', () => {
  it('are shown as orphaned, and the next baton run of another flow finishes them', async () => {
    const { id, data, pid } = await orphan('crashy');
    const shown = baton('executions', 'show', id, '--data', data);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('RUNNING');
    expect(shown.stdout).toMatch(new RegExp(`orphaned: its owner, process ${pid} on .*, is gone`));
    expect(shown.stdout).toContain('The next baton command on this data folder');

    const next = baton('run', other, '--data', data);
    expect(next.status, `${next.stdout}\n${next.stderr}`).toBe(0);
    expect(next.stdout).toContain('finished 1 execution(s) interrupted earlier');
    const e = await read(data, id);
    expect(e?.state.current).toBe('SUCCESS');
    const run = (taskId: string) => e!.taskRuns.find((t) => t.taskId === taskId)!;
    expect(run('before').attempts).toHaveLength(1);
    expect(run('interrupted').attempts).toHaveLength(2);
    expect(run('after').state.current).toBe('SUCCESS');
    const after = baton('executions', 'show', id, '--data', data);
    expect(after.stdout).not.toContain('orphaned');
  });

  it('baton restart of an orphan resumes it instead of refusing it', async () => {
    const { id, data } = await orphan('restarted');
    const r = baton('restart', id, '--data', data);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain(`execution ${id} was left RUNNING by a process that is gone: resuming it`);
    expect(r.stdout).toContain(`execution ${id} SUCCESS`);
    expect((await read(data, id))?.state.current).toBe('SUCCESS');
  });
});
