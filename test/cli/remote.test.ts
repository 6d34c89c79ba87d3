/**
 * The CLI's commands with `--server` against the built server: `baton run` (deploy, inputs with a
 * file, labels, the embedded live view fed by the follow stream, failure reasons, exit codes, Ctrl-C),
 * `executions list|show`, `logs [--follow] [--level]`, `kill`, `restart`, `resume`, `replay`, and what
 * they say with bad credentials or an unreachable server. Credentials come from the environment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startServer, type TestServer } from '../helpers/server.ts';

const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
const NS = 'cli.remote';

const FLOWS: Record<string, string> = {
  hello: `id: hello
namespace: ${NS}
inputs:
  - id: name
    type: STRING
  - id: doc
    type: FILE
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.name }}"
  - id: content
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(inputs.doc) }}"
outputs:
  - id: content
    type: STRING
    value: "{{ outputs.content.value }}"
`,
  failing: `id: failing
namespace: ${NS}
tasks:
  - id: boom
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - echo "something bad" >&2
      - exit 3
`,
  sleeper: `id: sleeper
namespace: ${NS}
tasks:
  - id: nap
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - sleep 60
`,
  approve: `id: approve
namespace: ${NS}
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: answer
        type: STRING
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "answer={{ outputs.approval.onResume.answer }}"
outputs:
  - id: answer
    type: STRING
    value: "{{ outputs.after.value }}"
`,
  talker: `id: talker
namespace: ${NS}
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: first line
  - id: wait
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - sleep 1
  - id: last
    type: io.kestra.plugin.core.log.Log
    message: last line
`,
};

interface Done {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<Done>;
}

describe('baton commands with --server', () => {
  let server: TestServer;
  let dir: string;
  /** Environment of the commands: the server and the admin's credentials (Basic). */
  let env: Record<string, string | undefined>;

  const start = (args: string[], extra: Record<string, string | undefined> = {}): Running => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { ...process.env, ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const done = new Promise<Done>((resolve) =>
      child.on('close', (status) => resolve({ status, stdout, stderr })),
    );
    return { child, stdout: () => stdout, stderr: () => stderr, done };
  };
  const baton = (args: string[], extra: Record<string, string | undefined> = {}) => start(args, extra).done;

  const api = async <T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> => {
    const response = await server.request(path, init);
    expect(response.ok, `${path}: ${response.status}`).toBe(true);
    return (await response.json()) as T;
  };
  type Exec = {
    id: string;
    state: { current: string };
    outputs?: Record<string, unknown>;
    labels: { key: string; value: string }[];
    originalId: string;
    taskRunList: { id: string; taskId: string; state: { current: string } }[];
  };
  const execution = (id: string) => api<Exec>(`/api/v1/executions/${id}`);
  /** Polls the API until the execution is in `state` (the server runs it meanwhile). */
  const untilState = async (id: string, state: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const e = await execution(id);
      if (e.state.current === state) return e;
      if (Date.now() > deadline) throw new Error(`execution ${id} is ${e.state.current}, not ${state}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** Resolves once `cond` holds on what a running command printed. */
  const untilPrinted = async (run: Running, cond: (out: string) => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!cond(run.stdout())) {
      if (Date.now() > deadline)
        throw new Error(`${what}: not printed in time:\n${run.stdout()}${run.stderr()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const createdId = (out: string) => /execution (\S+) of /.exec(out)?.[1] ?? '';
  const startOnServer = async (flowId: string) =>
    (await api<Exec>(`/api/v1/executions/${NS}/${flowId}`, { method: 'POST', json: {} })).id;

  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'baton-remote-'));
    for (const [id, source] of Object.entries(FLOWS)) writeFileSync(join(dir, `${id}.yaml`), source);
    writeFileSync(join(dir, 'doc.txt'), 'file body');
    // Flows the tests start through the API rather than with baton run.
    for (const id of ['talker', 'approve'])
      await api('/api/v1/flows', {
        method: 'POST',
        body: FLOWS[id],
        headers: { 'content-type': 'application/x-yaml' },
      });
    env = {
      BATON_SERVER: undefined,
      BATON_SERVER_USER: ADMIN.user,
      BATON_SERVER_PASSWORD: ADMIN.password,
      BATON_SERVER_TOKEN: undefined,
    };
  });
  afterAll(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('run deploys the flow and runs it with inputs, a file and labels; the live lines show each task', async () => {
    const args = ['run', 'hello.yaml', '--server', server.url, '-i', 'name=world', '-i', 'doc=@doc.txt'];
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
    expect((await api<{ revision: number }>(`/api/v1/flows/${NS}/hello`)).revision).toBe(1);
  });

  it('run with inputs the server refuses exits 2 and says why; nothing runs', async () => {
    const r = await baton(['run', 'hello.yaml', '--server', server.url, '-i', 'name=x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('hello.yaml: POST /api/v1/executions/cli.remote/hello: 422');
    expect(r.stderr).toContain('doc');
  });

  it('run of a failing flow exits 1 and prints the failed task’s reason', async () => {
    const r = await baton(['run', 'failing.yaml', '--server', server.url]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/boom FAILED/);
    expect(r.stdout).toContain(
      'failed: task boom: Command failed with exit code 3 (last output: something bad)',
    );
  });

  it('run follows each new attempt of a flow retry and exits with the last one’s state', async () => {
    // Fails until it has run 3 times, counting in a file: each attempt is a new execution.
    const counter = join(dir, 'retry.count');
    writeFileSync(
      join(dir, 'retrying.yaml'),
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
    const r = await baton(['run', 'retrying.yaml', '--server', server.url]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout.match(/RETRIED: flow retry, attempt \d/g)).toEqual([
      'RETRIED: flow retry, attempt 2',
      'RETRIED: flow retry, attempt 3',
    ]);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^execution \S+ SUCCESS in /);
  });

  it('executions list and show print the server’s executions as the embedded command does', async () => {
    const ran = await baton(['run', 'failing.yaml', '--server', server.url]);
    const id = createdId(ran.stdout);
    const list = await baton([
      'executions',
      'list',
      '--server',
      server.url,
      '--flow',
      'failing',
      '--limit',
      '5',
    ]);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${id}  ${NS}\\.failing  FAILED `, 'm'));
    expect(list.stdout).not.toContain(`${NS}.hello`);

    const show = await baton(['executions', 'show', id, '--server', server.url]);
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toContain(`${NS}.failing rev 1  ${id}  FAILED`);
    expect(show.stdout).toMatch(/ {2}boom +FAILED/);

    const json = await baton(['executions', 'show', id, '--server', server.url, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id,
      state: { current: 'FAILED' },
      taskRuns: [{ taskId: 'boom' }],
    });

    const missing = await baton(['executions', 'show', 'no-such-id', '--server', server.url]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('execution no-such-id not found');
  });

  it('logs prints an execution’s lines, filtered by level; --follow prints them until it ends', async () => {
    const ran = await baton(['run', 'failing.yaml', '--server', server.url]);
    const id = createdId(ran.stdout);
    const all = await baton(['logs', id, '--server', server.url]);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/WARN {2}boom something bad/);
    expect(all.stdout).toMatch(/ERROR boom Command failed with exit code 3/);
    const errors = await baton(['logs', id, '--server', server.url, '--level', 'ERROR']);
    expect(errors.stdout).not.toContain('something bad');
    expect(errors.stdout).toContain('Command failed');

    // Followed while it runs (its middle task takes a second): every line, then the command ends.
    const running = await startOnServer('talker');
    const followed = await baton(['logs', running, '--server', server.url, '--follow']);
    expect(followed.status, followed.stderr).toBe(0);
    expect(followed.stdout).toMatch(/INFO {2}first first line/);
    expect(followed.stdout).toMatch(/INFO {2}last last line/);
    expect((await execution(running)).state.current).toBe('SUCCESS');
  });

  it('kill ends a running remote execution; the run following it exits 1', async () => {
    const run = start(['run', 'sleeper.yaml', '--server', server.url]);
    await untilPrinted(run, (out) => /nap RUNNING/.test(out), 'nap RUNNING');
    const id = createdId(run.stdout());
    const killed = await baton(['kill', id, '--server', server.url]);
    expect(killed.status, killed.stderr).toBe(0);
    expect(killed.stdout).toContain(`execution ${id} KILLED in `);
    const ran = await run.done;
    expect(ran.status).toBe(1);
    expect(ran.stdout).toMatch(/nap KILLED/);
  });

  it('Ctrl-C on a remote run kills the execution on the server and says how to restart it', async () => {
    const run = start(['run', 'sleeper.yaml', '--server', server.url]);
    await untilPrinted(run, (out) => /nap RUNNING/.test(out), 'nap RUNNING');
    const id = createdId(run.stdout());
    run.child.kill('SIGINT');
    const ran = await run.done;
    expect(ran.status).toBe(130);
    expect(ran.stderr).toContain(
      `execution ${id} KILLED. Restart it with: baton restart ${id} --server ${server.url}`,
    );
    expect((await execution(id)).state.current).toBe('KILLED');
  });

  it('restart runs a failed execution again from its failed task and waits for its end', async () => {
    const marker = join(dir, 'restart-marker');
    writeFileSync(
      join(dir, 'flaky.yaml'),
      `id: flaky\nnamespace: ${NS}\ntasks:\n  - id: check\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands:\n      - test -f ${marker}\n`,
    );
    const first = await baton(['run', 'flaky.yaml', '--server', server.url]);
    expect(first.status).toBe(1);
    const id = createdId(first.stdout);
    writeFileSync(marker, '');
    const restarted = await baton(['restart', id, '--server', server.url]);
    expect(restarted.status, restarted.stderr).toBe(0);
    expect(restarted.stdout).toContain(`execution ${id} SUCCESS in `);
    expect((await execution(id)).state.current).toBe('SUCCESS');

    const again = await baton(['restart', id, '--server', server.url]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('only FAILED or KILLED executions can be restarted');
  });

  it('resume passes an onResume input to a paused execution and waits for its end', async () => {
    const id = await startOnServer('approve');
    await untilState(id, 'PAUSED');
    const resumed = await baton(['resume', id, '--server', server.url, '-i', 'answer=yes']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`execution ${id} SUCCESS in `);
    expect((await execution(id)).outputs).toEqual({ answer: 'answer=yes' });
  });

  it('replay --from TASK makes a new execution from that task and waits for it', async () => {
    const ran = await baton([
      'run',
      'hello.yaml',
      '--server',
      server.url,
      '-i',
      'name=again',
      '-i',
      'doc=@doc.txt',
    ]);
    const id = createdId(ran.stdout);
    const original = await execution(id);
    const replayed = await baton(['replay', id, '--from', 'content', '--server', server.url]);
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

  it('BATON_SERVER selects the server; --data keeps the embedded run', async () => {
    const viaEnv = await baton(['run', 'failing.yaml'], { BATON_SERVER: server.url });
    expect(viaEnv.status).toBe(1);
    expect((await execution(createdId(viaEnv.stdout))).state.current).toBe('FAILED');

    const data = join(dir, 'local-data');
    const local = await baton(['run', 'hello.yaml', '--data', data, '-i', 'name=x', '-i', 'doc=@doc.txt'], {
      BATON_SERVER: server.url,
    });
    expect(local.status, local.stderr).toBe(0);
    expect(existsSync(join(data, 'baton.db'))).toBe(true);
    const response = await server.request(`/api/v1/executions/${createdId(local.stdout)}`);
    expect(response.status).toBe(404);
  });

  it('bad credentials: a clear message and exit 2; no credentials: what to set', async () => {
    const bad = await baton(['executions', 'list', '--server', server.url], {
      BATON_SERVER_PASSWORD: 'wrong',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      `401 the server at ${server.url} refused the credentials (BATON_SERVER_USER admin)`,
    );
    const badRun = await baton(['run', 'failing.yaml', '--server', server.url], {
      BATON_SERVER_PASSWORD: 'wrong',
    });
    expect(badRun.status).toBe(2);
    expect(badRun.stderr).toContain('refused the credentials');
    const none = await baton(['logs', 'x', '--server', server.url], {
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
