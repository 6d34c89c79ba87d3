/**
 * A real Git repository for tests: a bare repository in a temp folder (its path is the URL a task
 * clones), and a work tree pushing commits to it with the `git` command line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TestRepo {
  /** The temp folder holding the bare repository (`repo.git`). */
  root: string;
  /** Path of the bare repository: what `url` is set to (or served by startGitHttpServer). */
  url: string;
  /** Writes (content) or removes (null) files on `branch` and pushes one commit; returns its hash. */
  commit(files: Record<string, string | null>, branch?: string): string;
  dispose(): void;
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });

export const createTestRepo = (): TestRepo => {
  const root = mkdtempSync(join(tmpdir(), 'baton-git-test-'));
  const url = join(root, 'repo.git');
  const work = join(root, 'work');
  git(root, 'init', '-q', '--bare', '-b', 'main', url);
  git(root, 'init', '-q', '-b', 'main', work);
  git(work, 'remote', 'add', 'origin', url);
  const branches = new Set<string>();
  return {
    root,
    url,
    commit(files, branch = 'main') {
      if (branches.has(branch)) git(work, 'checkout', '-q', branch);
      else if (branches.size > 0 || branch !== 'main') git(work, 'checkout', '-q', '-b', branch);
      branches.add(branch);
      for (const [path, content] of Object.entries(files)) {
        if (content === null) git(work, 'rm', '-q', path);
        else {
          mkdirSync(dirname(join(work, path)), { recursive: true });
          writeFileSync(join(work, path), content);
          git(work, 'add', path);
        }
      }
      git(work, 'commit', '-q', '-m', `change ${Object.keys(files).join(', ')}`);
      git(work, 'push', '-q', 'origin', branch);
      return git(work, 'rev-parse', 'HEAD').trim();
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
};

/**
 * Git's smart HTTP protocol over the repositories of a folder (`git http-backend` as a CGI program),
 * requiring HTTP basic authentication with `user` / `password`: what a private repository of a Git host
 * looks like to a client. `urlOf(bare)` is the clone URL of a bare repository of that folder.
 */
export const startGitHttpServer = async (
  root: string,
  user: string,
  password: string,
): Promise<{ urlOf(bare: string): string; requests: string[]; close(): Promise<void> }> => {
  const { createServer } = await import('node:http');
  const { spawn } = await import('node:child_process');
  const requests: string[] = [];
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ? 'with' : 'without'} credentials`);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' });
      return res.end('authentication required');
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: user,
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const end = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, end).toString('utf8').split('\r\n');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head) {
        const i = line.indexOf(':');
        const [k, v] = [line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()];
        if (k === 'status') status = Number.parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.end(out.subarray(end + 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    urlOf: (bare) => `http://127.0.0.1:${port}/${bare.slice(root.length + 1)}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
