/**
 * A script that leaves processes running in the background (`cmd &`, `nohup cmd &`, even one ignoring
 * SIGTERM) with our stdout and stderr: its task ends when its main process exits, `baton run` exits at
 * once, and what the script left behind is ended with a warning in the task's log.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baton, hasProc, killGroup } from './processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-background-'));
const pids = join(dir, 'pids');
const group = join(dir, 'group');
afterAll(() => {
  if (existsSync(group)) killGroup(Number(readFileSync(group, 'utf8'))); // gone, as it should be
  rmSync(dir, { recursive: true, force: true });
});

/** Whether a process runs (a zombie left unreaped by init is dead). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

const flow = `id: background
namespace: test.background
tasks:
  - id: detach
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - echo $$ > "${group}"
      - sleep 300 &
      - echo $! >> "${pids}"
      - nohup sleep 301 &
      - echo $! >> "${pids}"
      - sh -c 'trap "" TERM; sleep 302' &
      - echo $! >> "${pids}"
      - echo started
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after
`;

describe.skipIf(!hasProc)('a script leaving processes in the background', () => {
  it('ends with its main process: baton run exits at once and nothing is left running', () => {
    const file = join(dir, 'background.yaml');
    writeFileSync(file, flow);
    const data = join(dir, 'data');
    const started = Date.now();
    const r = baton('run', file, '--json', '--data', data);
    // The grace period of the process ignoring SIGTERM (2 s) plus a start: far below the 300 s sleeps.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    for (const pid of readFileSync(pids, 'utf8').trim().split(/\s+/).map(Number))
      expect(alive(pid), `process ${pid}`).toBe(false);
    const id = String(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type?: string; id?: string })
        .find((l) => l.type === 'execution')?.id,
    );
    const logs = baton('logs', id, '--data', data);
    expect(logs.stdout).toContain('INFO  detach started');
    expect(logs.stdout).toMatch(
      /WARN {2}detach the script exited leaving \d+ process\(es\) of its own running in the background .*ending them/,
    );
  });
});
