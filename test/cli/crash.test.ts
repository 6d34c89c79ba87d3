/**
 * Crash safety: a `baton run` process killed with SIGKILL in the middle of a flow. The next start of
 * Baton on the same data folder finishes the execution; completed tasks do not run again; the
 * interrupted task runs again as a new attempt.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

const main = new URL('../../bin/baton.js', import.meta.url).pathname; // the shipped command: bundle in dist/;
const dir = mkdtempSync(join(tmpdir(), 'baton-crash-'));
const marker = join(dir, 'interrupted.pid');

const flow = `id: crashy
namespace: test.crash
tasks:
  - id: before
    type: io.kestra.plugin.core.debug.Return
    format: done before the crash
  - id: interrupted
    type: io.kestra.plugin.scripts.shell.Script
    script: |
      if [ ! -f "${marker}" ]; then echo $$ > "${marker}"; sleep 60; fi
      echo second attempt
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: after
`;

/** Resolves with the first JSON line of the child's stdout that matches. */
const waitForLine = (child: ChildProcess, match: (o: Record<string, unknown>) => boolean) =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        if (match(o)) resolve(o);
      } catch {
        /* not a JSON line */
      }
    });
    child.on('exit', (code) => reject(new Error(`baton run exited (${code}) before the expected line`)));
  });

/** Polls a condition that another process makes true (a file appearing), failing after `ms`. */
const until = async (cond: () => boolean, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

afterAll(() => {
  if (existsSync(marker)) {
    const pid = Number(readFileSync(marker, 'utf8'));
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('finishes an execution interrupted by SIGKILL on the next start, re-running only the interrupted task', async () => {
    const file = join(dir, 'crashy.yaml');
    writeFileSync(file, flow);
    const data = join(dir, 'data');
    const child = spawn(process.execPath, [main, 'run', file, '--json', '--data', data], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await waitForLine(child, (o) => o.type === 'execution');
    await waitForLine(
      child,
      (o) => o.type === 'taskRun' && o.taskId === 'interrupted' && o.state === 'RUNNING',
    );
    // Kill only once the script really runs (it writes its marker first), not merely once it is dispatched.
    await until(() => existsSync(marker));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const other = join(dir, 'other.yaml');
    writeFileSync(
      other,
      'id: other\nnamespace: test.crash\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Log\n    message: x\n',
    );
    const next = spawnSync(process.execPath, [main, 'run', other, '--data', data], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(next.status, `${next.stdout}\n${next.stderr}`).toBe(0);

    const store = await openSqliteStore({ path: join(data, 'baton.db') });
    const e = await store.getExecution(String(started.id));
    await store.close();
    expect(e?.state.current).toBe('SUCCESS');
    const run = (id: string) => e!.taskRuns.find((t) => t.taskId === id)!;
    expect(run('before').attempts).toHaveLength(1);
    expect(run('interrupted').attempts.length).toBe(2);
    expect(run('interrupted').state.current).toBe('SUCCESS');
    expect(run('after').state.current).toBe('SUCCESS');
  });
});
