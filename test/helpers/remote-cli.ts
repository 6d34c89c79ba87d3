/**
 * The CLI's commands with `--server` against the built server (test/cli/remote*.test.ts): one server and
 * a folder of flow files per test file, commands spawned as `bin/baton.js` with the admin's credentials
 * in the environment, and the API to check what they did.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { ADMIN, startServer, type TestServer } from './server.ts';

const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
export const NS = 'cli.remote';

export const FLOWS: Record<string, string> = {
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

export interface Done {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<Done>;
}

export interface Exec {
  id: string;
  state: { current: string };
  outputs?: Record<string, unknown>;
  labels: { key: string; value: string }[];
  originalId: string;
  taskRunList: { id: string; taskId: string; state: { current: string } }[];
}

type Env = Record<string, string | undefined>;

/** The id in the first line of `baton run` (`execution ID of NS.FLOW created`). */
export const createdId = (out: string) => /execution (\S+) of /.exec(out)?.[1] ?? '';

/** Registers the server's start and stop around the calling test file; the tools to use it. */
export const useRemoteCli = () => {
  let server: TestServer;
  let dir: string;
  /** Environment of the commands: the admin's credentials (Basic); the server is given by --server. */
  const env: Env = {
    BATON_SERVER: undefined,
    BATON_SERVER_USER: ADMIN.user,
    BATON_SERVER_PASSWORD: ADMIN.password,
    BATON_SERVER_TOKEN: undefined,
  };

  const start = (args: string[], extra: Env = {}): Running => {
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

  const api = async <T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> => {
    const response = await server.request(path, init);
    expect(response.ok, `${path}: ${response.status}`).toBe(true);
    return (await response.json()) as T;
  };
  const execution = (id: string) => api<Exec>(`/api/v1/executions/${id}`);

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
  });
  afterAll(async () => {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    server: () => server,
    dir: () => dir,
    start,
    baton: (args: string[], extra: Env = {}) => start(args, extra).done,
    api,
    execution,
    /** Polls the API until the execution is in `state` (the server runs it meanwhile). */
    async untilState(id: string, state: string) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const e = await execution(id);
        if (e.state.current === state) return e;
        if (Date.now() > deadline) throw new Error(`execution ${id} is ${e.state.current}, not ${state}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Resolves once `cond` holds on what a running command printed. */
    async untilPrinted(run: Running, cond: (out: string) => boolean, what: string) {
      const deadline = Date.now() + 20_000;
      while (!cond(run.stdout())) {
        if (Date.now() > deadline)
          throw new Error(`${what}: not printed in time:\n${run.stdout()}${run.stderr()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Starts an execution of a flow of the server through the API; its id. */
    startOnServer: async (flowId: string) =>
      (await api<Exec>(`/api/v1/executions/${NS}/${flowId}`, { method: 'POST', json: {} })).id,
  };
};
