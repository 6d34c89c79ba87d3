/**
 * `baton run --server URL` against the built server: the flow deployed (a revision only on change),
 * inputs with a file and labels, the embedded live view and JSON lines fed by the follow stream, failure
 * reasons, a flow retry's attempts, exit codes, Ctrl-C killing on the server; `BATON_SERVER` against
 * `--data`; what every command says with bad credentials or an unreachable server.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createdId, NS, useRemoteCli } from '../helpers/remote-cli.ts';

describe('baton run --server', () => {
  const cli = useRemoteCli();
  const { baton, start, execution, untilPrinted } = cli;
  let url: string;
  beforeAll(() => {
    url = cli.server().url;
  });

  it('run deploys the flow and runs it with inputs, a file and labels; the live lines show each task', async () => {
    const args = ['run', 'hello.yaml', '--server', url, '-i', 'name=world', '-i', 'doc=@doc.txt'];
    const r = await baton([...args, '--label', 'team=data']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`created ${NS}.hello (revision 1)`);
    expect(r.stdout).toMatch(/greet SUCCESS/);
    expect(r.stdout).toMatch(/content SUCCESS/);
    expect(r.stdout).toMatch(/execution \S+ SUCCESS in /);
    expect(r.stdout).toContain('outputs:\n  content: file body');
    const e = await execution(createdId(r.stdout));
    expect(e.labels).toContainEqual({ key: 'team', value: 'data' });

    // Run again, unchanged: no new revision; --json gives the embedded run's JSON lines.
    const again = await baton([...args, '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('revision');
    const lines = again.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'execution', namespace: NS, flowId: 'hello' });
    expect(lines).toContainEqual(
      expect.objectContaining({ type: 'taskRun', taskId: 'greet', state: 'SUCCESS' }),
    );
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      state: 'SUCCESS',
      outputs: { content: 'file body' },
    });
    expect((await cli.api<{ revision: number }>(`/api/v1/flows/${NS}/hello`)).revision).toBe(1);
  });

  it('run with inputs the server refuses exits 2 and says why; nothing runs', async () => {
    const r = await baton(['run', 'hello.yaml', '--server', url, '-i', 'name=x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('hello.yaml: POST /api/v1/executions/cli.remote/hello: 422');
    expect(r.stderr).toContain('doc');
  });

  it('run of a failing flow exits 1 and prints the failed task’s reason', async () => {
    const r = await baton(['run', 'failing.yaml', '--server', url]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/boom FAILED/);
    expect(r.stdout).toContain(
      'failed: task boom: Command failed with exit code 3 (last output: something bad)',
    );
  });

  it('run follows each new attempt of a flow retry and exits with the last one’s state', async () => {
    // Fails until it has run 3 times, counting in a file: each attempt is a new execution.
    const counter = join(cli.dir(), 'retry.count');
    writeFileSync(
      join(cli.dir(), 'retrying.yaml'),
      `id: retrying
namespace: ${NS}
retry:
  type: constant
  interval: PT0.1S
  maxAttempt: 3
  behavior: CREATE_NEW_EXECUTION
tasks:
  - id: flaky
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - n=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 )); echo $n > ${counter}; [ $n -ge 3 ]
`,
    );
    const r = await baton(['run', 'retrying.yaml', '--server', url]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout.match(/RETRIED: flow retry, attempt \d/g)).toEqual([
      'RETRIED: flow retry, attempt 2',
      'RETRIED: flow retry, attempt 3',
    ]);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^execution \S+ SUCCESS in /);
  });

  it('Ctrl-C on a remote run kills the execution on the server and says how to restart it', async () => {
    const run = start(['run', 'sleeper.yaml', '--server', url]);
    await untilPrinted(run, (out) => /nap RUNNING/.test(out), 'nap RUNNING');
    const id = createdId(run.stdout());
    run.child.kill('SIGINT');
    const ran = await run.done;
    expect(ran.status).toBe(130);
    expect(ran.stderr).toContain(
      `execution ${id} KILLED. Restart it with: baton restart ${id} --server ${url}`,
    );
    expect((await execution(id)).state.current).toBe('KILLED');
  });

  it('BATON_SERVER selects the server; --data keeps the embedded run', async () => {
    const viaEnv = await baton(['run', 'failing.yaml'], { BATON_SERVER: url });
    expect(viaEnv.status).toBe(1);
    expect((await execution(createdId(viaEnv.stdout))).state.current).toBe('FAILED');

    const data = join(cli.dir(), 'local-data');
    const local = await baton(['run', 'hello.yaml', '--data', data, '-i', 'name=x', '-i', 'doc=@doc.txt'], {
      BATON_SERVER: url,
    });
    expect(local.status, local.stderr).toBe(0);
    expect(existsSync(join(data, 'baton.db'))).toBe(true);
    const response = await cli.server().request(`/api/v1/executions/${createdId(local.stdout)}`);
    expect(response.status).toBe(404);
  });

  it('bad credentials: a clear message and exit 2; no credentials: what to set', async () => {
    const bad = await baton(['executions', 'list', '--server', url], {
      BATON_SERVER_PASSWORD: 'wrong',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      `401 the server at ${url} refused the credentials (BATON_SERVER_USER admin)`,
    );
    const badRun = await baton(['run', 'failing.yaml', '--server', url], {
      BATON_SERVER_PASSWORD: 'wrong',
    });
    expect(badRun.status).toBe(2);
    expect(badRun.stderr).toContain('refused the credentials');
    const none = await baton(['logs', 'x', '--server', url], {
      BATON_SERVER_USER: undefined,
      BATON_SERVER_PASSWORD: undefined,
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('set BATON_SERVER_TOKEN, or BATON_SERVER_USER and BATON_SERVER_PASSWORD');
  });

  it('an unreachable server: a message naming its URL and exit 3', async () => {
    // Port 9 (discard) on the loopback: nothing listens there on a test machine.
    const url = 'http://127.0.0.1:9';
    for (const args of [
      ['run', 'failing.yaml'],
      ['executions', 'list'],
      ['kill', 'some-id'],
    ]) {
      const r = await baton([...args, '--server', url]);
      expect(r.status, args.join(' ')).toBe(3);
      expect(r.stderr).toContain(`cannot reach the server at ${url}`);
    }
  });
});
