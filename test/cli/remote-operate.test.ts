/**
 * The other commands with `--server` against the built server: executions list/show, logs (filtered,
 * followed), kill, restart, resume with an input, replay from a task; each prints what the embedded
 * command prints and waits the same way.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createdId, NS, useRemoteCli } from '../helpers/remote-cli.ts';

describe('operator commands with --server', () => {
  const cli = useRemoteCli();
  const { baton, start, execution, untilPrinted } = cli;
  let url: string;
  beforeAll(() => {
    url = cli.server().url;
  });

  it('executions list and show print the server’s executions as the embedded command does', async () => {
    const ran = await baton(['run', 'failing.yaml', '--server', url]);
    const id = createdId(ran.stdout);
    const list = await baton(['executions', 'list', '--server', url, '--flow', 'failing', '--limit', '5']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${id}  ${NS}\\.failing  FAILED `, 'm'));
    expect(list.stdout).not.toContain(`${NS}.hello`);

    const show = await baton(['executions', 'show', id, '--server', url]);
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toContain(`${NS}.failing rev 1  ${id}  FAILED`);
    expect(show.stdout).toMatch(/ {2}boom +FAILED/);

    const json = await baton(['executions', 'show', id, '--server', url, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id,
      state: { current: 'FAILED' },
      taskRuns: [{ taskId: 'boom' }],
    });

    const missing = await baton(['executions', 'show', 'no-such-id', '--server', url]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('execution no-such-id not found');
  });

  it('logs prints an execution’s lines, filtered by level; --follow prints them until it ends', async () => {
    const ran = await baton(['run', 'failing.yaml', '--server', url]);
    const id = createdId(ran.stdout);
    const all = await baton(['logs', id, '--server', url]);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/WARN {2}boom something bad/);
    expect(all.stdout).toMatch(/ERROR boom Command failed with exit code 3/);
    const errors = await baton(['logs', id, '--server', url, '--level', 'ERROR']);
    expect(errors.stdout).not.toContain('something bad');
    expect(errors.stdout).toContain('Command failed');

    // Followed while it runs (its middle task takes a second): every line, then the command ends.
    const running = await cli.startOnServer('talker');
    const followed = await baton(['logs', running, '--server', url, '--follow']);
    expect(followed.status, followed.stderr).toBe(0);
    expect(followed.stdout).toMatch(/INFO {2}first first line/);
    expect(followed.stdout).toMatch(/INFO {2}last last line/);
    expect((await execution(running)).state.current).toBe('SUCCESS');
  });

  it('kill ends a running remote execution; the run following it exits 1', async () => {
    const run = start(['run', 'sleeper.yaml', '--server', url]);
    await untilPrinted(run, (out) => /nap RUNNING/.test(out), 'nap RUNNING');
    const id = createdId(run.stdout());
    const killed = await baton(['kill', id, '--server', url]);
    expect(killed.status, killed.stderr).toBe(0);
    expect(killed.stdout).toContain(`execution ${id} KILLED in `);
    const ran = await run.done;
    expect(ran.status).toBe(1);
    expect(ran.stdout).toMatch(/nap KILLED/);
  });

  it('restart runs a failed execution again from its failed task and waits for its end', async () => {
    const marker = join(cli.dir(), 'restart-marker');
    writeFileSync(
      join(cli.dir(), 'flaky.yaml'),
      `id: flaky\nnamespace: ${NS}\ntasks:\n  - id: check\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands:\n      - test -f ${marker}\n`,
    );
    const first = await baton(['run', 'flaky.yaml', '--server', url]);
    expect(first.status).toBe(1);
    const id = createdId(first.stdout);
    writeFileSync(marker, '');
    const restarted = await baton(['restart', id, '--server', url]);
    expect(restarted.status, restarted.stderr).toBe(0);
    expect(restarted.stdout).toContain(`execution ${id} SUCCESS in `);
    expect((await execution(id)).state.current).toBe('SUCCESS');

    const again = await baton(['restart', id, '--server', url]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('only FAILED or KILLED executions can be restarted');
  });

  it('resume passes an onResume input to a paused execution and waits for its end', async () => {
    const id = await cli.startOnServer('approve');
    await cli.untilState(id, 'PAUSED');
    const resumed = await baton(['resume', id, '--server', url, '-i', 'answer=yes']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`execution ${id} SUCCESS in `);
    expect((await execution(id)).outputs).toEqual({ answer: 'answer=yes' });
  });

  it('replay --from TASK makes a new execution from that task and waits for it', async () => {
    const ran = await baton(['run', 'hello.yaml', '--server', url, '-i', 'name=again', '-i', 'doc=@doc.txt']);
    const id = createdId(ran.stdout);
    const original = await execution(id);
    const replayed = await baton(['replay', id, '--from', 'content', '--server', url]);
    expect(replayed.status, replayed.stderr).toBe(0);
    const copyId = /replay (\S+) of /.exec(replayed.stdout)?.[1] ?? '';
    expect(replayed.stdout).toContain(`replay ${copyId} of ${id} from content`);
    expect(replayed.stdout).toContain(`execution ${copyId} SUCCESS in `);
    const copy = await execution(copyId);
    expect(copy.originalId).toBe(id);
    // `greet` was kept (copied, not run again), `content` ran again.
    const greet = copy.taskRunList.find((t) => t.taskId === 'greet');
    expect(greet?.id).not.toBe(original.taskRunList.find((t) => t.taskId === 'greet')?.id);
    expect(copy.taskRunList.map((t) => `${t.taskId}:${t.state.current}`)).toEqual([
      'greet:SUCCESS',
      'content:SUCCESS',
    ]);
  });
});
