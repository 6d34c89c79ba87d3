/**
 * `baton server` as users run it (bin/baton.js over dist/), on a free port and a temp data folder, with
 * a known admin. `request` sends authenticated JSON requests; `as(user, password)` other credentials.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const main = new URL('../../bin/baton.js', import.meta.url).pathname;

export const ADMIN = { user: 'admin', password: 'admin-password-for-tests' };
export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface TestServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the server printed (stdout and stderr). */
  output(): string;
  /** A request with the admin's credentials (unless `headers.authorization` is given). */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Stops it with SIGTERM and waits for its exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
  /** Stops it and removes its data folder (unless `keep`). */
  dispose(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Leave the data folder in place at dispose (a restart test reuses it). */
  keep?: boolean;
}

export const startServer = async (opts: StartOptions = {}): Promise<TestServer> => {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'baton-server-'));
  const child = spawn(
    process.execPath,
    [main, 'server', '--data', dataDir, '--port', '0', '--log-format', 'json', ...(opts.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BATON_ADMIN_USER: ADMIN.user,
        BATON_ADMIN_PASSWORD: ADMIN.password,
        BATON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        ...opts.env,
      },
    },
  );
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const m = /Baton server on (\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then((code) =>
      reject(new Error(`baton server exited (${code}) before listening:\n${output}`)),
    );
  });
  const request = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', basic(ADMIN.user, ADMIN.password));
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${url}${path}`, { ...init, headers, body });
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return {
    url,
    dataDir,
    child,
    output: () => output,
    request,
    stop,
    exited,
    async dispose() {
      await stop();
      if (!opts.keep && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
