/**
 * git.Clone with the real `git` command line: a bare repository made in the test (test/helpers/git-repo.ts),
 * cloned in a WorkingDirectory whose next task reads the files; a private repository served over Git's
 * smart HTTP protocol (`git http-backend` behind basic authentication) cloned with a password from
 * `secret()`, which appears in no log, no error and not in the clone's `.git/config`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type TestEngine } from '../helpers/engine.ts';
import { createTestRepo, startGitHttpServer, type TestRepo } from '../helpers/git-repo.ts';

const TOKEN = 'tok-3f9a-very-secret';
let engine: TestEngine;
let repo: TestRepo;
let http: Awaited<ReturnType<typeof startGitHttpServer>>;

beforeAll(async () => {
  process.env.BATON_SECRET_GIT_TOKEN = TOKEN;
  repo = createTestRepo();
  repo.commit({ 'hello.txt': 'hello from main\n' });
  repo.commit({ 'hello.txt': 'hello from release\n', 'conf/app.ini': 'x=1\n' }, 'release');
  repo.commit({ 'hello.txt': 'hello from release, second commit\n' }, 'release');
  http = await startGitHttpServer(repo.root, 'deployer', TOKEN);
  engine = await startEngine();
});
afterAll(async () => {
  await engine?.dispose();
  await http?.close();
  repo?.dispose();
  delete process.env.BATON_SECRET_GIT_TOKEN;
});

const logsOf = async (id: string) =>
  (await engine.store.queryLogs({ executionId: id })).map((l) => `${l.level} ${l.message}`).join('\n');

const cloneThenRead = (clone: Record<string, unknown>, read: string[]) => `
id: clone_${Math.random().toString(36).slice(2, 8)}
namespace: test.git
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: clone
        type: io.kestra.plugin.git.Clone
${Object.entries(clone)
  .map(([k, v]) => `        ${k}: ${JSON.stringify(v)}`)
  .join('\n')}
      - id: read
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ${JSON.stringify(read)}
`;

const run = async (source: string) => {
  const flow = await engine.deploy(source);
  return engine.run(flow.namespace, flow.id);
};

describe('git.Clone', () => {
  it('clones a branch with depth 1 into the WorkingDirectory: the next task reads its files', async () => {
    const e = await run(
      cloneThenRead({ url: repo.url, branch: 'release', depth: 1 }, [
        'echo "::{\\"outputs\\":{\\"hello\\":\\"$(cat hello.txt)\\",\\"commits\\":$(git rev-list --count HEAD),\\"branch\\":\\"$(git branch --show-current)\\"}}::"',
      ]),
    );
    expect(e.state.current, await logsOf(e.id)).toBe('SUCCESS');
    const read = e.taskRuns.find((t) => t.taskId === 'read')!;
    expect(read.outputs?.vars).toEqual({
      hello: 'hello from release, second commit',
      commits: 1,
      branch: 'release',
    });
    const clone = e.taskRuns.find((t) => t.taskId === 'clone')!;
    expect(String(clone.outputs?.directory)).toMatch(/^\//);
  });

  it('clones again into a folder holding a clone (a retry): the branch asked for is checked out', async () => {
    const e = await run(
      cloneThenRead({ url: repo.url, branch: 'main' }, ['true'])
        .replace(
          '      - id: read',
          `      - id: again\n        type: io.kestra.plugin.git.Clone\n        url: ${JSON.stringify(repo.url)}\n        branch: release\n      - id: read`,
        )
        .replace('commands: ["true"]', 'commands: ["grep -q \'from release\' hello.txt"]'),
    );
    expect(e.state.current, await logsOf(e.id)).toBe('SUCCESS');
  });

  it('clones the default branch into `directory`, next to files already there', async () => {
    const e = await run(
      cloneThenRead({ url: repo.url, directory: 'src' }, [
        'test "$(cat src/hello.txt)" = "hello from main"',
        'test ! -e src/conf',
      ]),
    );
    expect(e.state.current, await logsOf(e.id)).toBe('SUCCESS');
  });

  it('clones a private repository over HTTP with a password from secret(), never written anywhere', async () => {
    const url = http.urlOf(repo.url);
    const e = await run(
      cloneThenRead({ url, branch: 'main', username: 'deployer', password: "{{ secret('GIT_TOKEN') }}" }, [
        'cat hello.txt',
        'git config --get remote.origin.url',
        `! grep -r "${TOKEN}" .git`,
      ]),
    );
    const logs = await logsOf(e.id);
    expect(e.state.current, logs).toBe('SUCCESS');
    expect(logs).toContain('hello from main');
    expect(logs).toContain(url); // the remote has no credentials in it
    expect(logs).not.toContain(TOKEN);
    // git asked without credentials first, was challenged, then sent them.
    expect(http.requests.some((r) => r.includes('without credentials'))).toBe(true);
    expect(http.requests.some((r) => r.includes('with credentials'))).toBe(true);
  });

  it('fails without retrying on a wrong password; the URL credentials and password are masked', async () => {
    const url = http.urlOf(repo.url).replace('http://', `http://deployer:${TOKEN}-url@`);
    const e = await run(
      cloneThenRead({ url, username: 'deployer', password: "{{ secret('GIT_TOKEN') }}-wrong" }, ['true']),
    );
    const logs = await logsOf(e.id);
    expect(e.state.current).toBe('FAILED');
    expect(logs).toMatch(/git (ls-remote|fetch) failed: .*Authentication failed/);
    expect(logs).toContain('deployer:******@127.0.0.1');
    expect(logs).not.toContain(TOKEN);
    const clone = e.taskRuns.find((t) => t.taskId === 'clone')!;
    expect(clone.attempts).toHaveLength(1);
  });

  it('refuses an SSH privateKey plainly (not supported yet)', async () => {
    const e = await run(cloneThenRead({ url: repo.url, privateKey: 'KEY' }, ['true']));
    expect(e.state.current).toBe('FAILED');
    expect(await logsOf(e.id)).toContain('SSH keys are not supported');
  });
});
