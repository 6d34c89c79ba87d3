/**
 * Operator commands as separate processes on one data folder: `baton resume` and `baton kill` while the
 * `baton run` that started the execution is still waiting for it (two engines sharing one SQLite file).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const main = new URL('../../bin/baton.js', import.meta.url).pathname; // the shipped command: bundle in dist/;
const dir = mkdtempSync(join(tmpdir(), 'baton-operate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flow = join(dir, 'approve.yaml');
writeFileSync(
  flow,
  `id: approve
namespace: test.operate
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: answer
        type: STRING
        defaults: none
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "answer={{ outputs.approval.onResume.answer }}"
`,
);

/** Starts `baton run --json` and resolves with the execution id once the Pause task is PAUSED. */
const startPaused = (data: string) => {
  const child = spawn(process.execPath, [main, 'run', flow, '--json', '--data', data], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const paused = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const o = JSON.parse(line) as Record<string, unknown>;
      lines.push(o);
      if (o.type === 'taskRun' && o.state === 'PAUSED')
        resolve(String(lines.find((l) => l.type === 'execution')?.id));
    });
    child.once('exit', () => reject(new Error('baton run ended before pausing')));
  });
  return { paused, exited, lines };
};

const baton = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('operator commands', () => {
  it('baton resume passes onResume inputs and lets the waiting baton run finish', async () => {
    const data = join(dir, 'resume');
    const run = startPaused(data);
    const id = await run.paused;
    const resumed = baton('resume', id, '--input', 'answer=yes', '--data', data);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('SUCCESS');
    expect(await run.exited).toBe(0);
    const result = run.lines.find((l) => l.type === 'result');
    expect(result?.state).toBe('SUCCESS');
    const show = baton('executions', 'show', id, '--json', '--data', data);
    const execution = JSON.parse(show.stdout) as {
      taskRuns: { taskId: string; outputs?: { value?: string } }[];
    };
    expect(execution.taskRuns.find((t) => t.taskId === 'after')?.outputs?.value).toBe('answer=yes');
  });

  it('baton kill ends a paused execution as KILLED', async () => {
    const data = join(dir, 'kill');
    const run = startPaused(data);
    const id = await run.paused;
    const killed = baton('kill', id, '--data', data);
    expect(killed.status, killed.stderr).toBe(0);
    expect(killed.stdout).toContain('KILLED');
    expect(await run.exited).toBe(1);
  });

  it('baton restart refuses an execution that did not fail', () => {
    const r = baton('restart', 'unknown-id', '--data', join(dir, 'resume'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not found');
  });
});
