/**
 * Running the `git` command line for the git tasks, and the clone they share.
 *
 * - Arguments are passed as an array (no shell), so nothing in a URL or branch name is interpreted.
 * - Credentials never appear on a command line (visible to every user in `ps`) nor in `.git/config`:
 *   git asks for them through GIT_ASKPASS, a small script that prints them from this process's
 *   environment (the script file holds no secret). Error messages have them masked, and so has a URL
 *   written with `user:password@`.
 * - The environment is the worker's less its secrets and its GIT_* variables (a GIT_DIR of the worker
 *   would point every command at another repository); prompts are disabled, so that a missing
 *   credential fails at once instead of waiting for a terminal.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskRunContext } from '../context.ts';
import { TaskError } from '../types.ts';

export interface GitAuth {
  username?: string;
  password?: string;
  privateKey?: string;
}

export interface CloneOptions extends GitAuth {
  url: string;
  /** Where to clone (made if missing; may already hold files). */
  dir: string;
  branch?: string;
  tag?: string;
  commit?: string;
  /** History depth; ignored with `commit` (the commit must be reachable). */
  depth?: number;
  cloneSubmodules?: boolean;
  /** `git config` entries set in the clone before checkout (e.g. `core.autocrlf: false`). */
  gitConfig?: Record<string, unknown>;
}

const MASK = '******';

/** `text` with the credentials masked: the password anywhere, and `user:secret@` in any URL. */
export const maskCredentials = (text: string, auth: GitAuth = {}): string => {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^@\s/]*@/gi, `$1:${MASK}@`);
  if (auth.password) out = out.split(auth.password).join(MASK);
  return out;
};

/** Prints the username or the password, whichever git asks for ("Username for ...", "Password for ..."). */
const ASKPASS = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$BATON_GIT_USERNAME" ;;
  *) printf '%s\\n' "$BATON_GIT_PASSWORD" ;;
esac
`;

const gitEnv = (auth: GitAuth, askpass: string | undefined): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('GIT_') || k.startsWith('SECRET_') || k.startsWith('BATON_SECRET_'))
      continue;
    env[k] = v;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  // No SSH prompt for an unknown host key or a passphrase either: fail rather than hang.
  env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  if (askpass) {
    env.GIT_ASKPASS = askpass;
    env.BATON_GIT_USERNAME = auth.username ?? '';
    env.BATON_GIT_PASSWORD = auth.password ?? '';
  }
  return env;
};

export interface Git {
  /** Runs `git args...` in `cwd`; resolves with stdout, throws a TaskError with git's (masked) message. */
  run(args: string[], cwd: string): Promise<string>;
  dispose(): Promise<void>;
}

/** A git runner holding the credentials of one task run; `dispose` removes its askpass script. */
export const openGit = async (ctx: TaskRunContext, auth: GitAuth): Promise<Git> => {
  if (auth.privateKey)
    throw new TaskError(
      'privateKey: SSH keys are not supported by Baton yet; use an HTTPS URL with username and password (a token)',
      { retryable: false },
    );
  let folder: string | undefined;
  let askpass: string | undefined;
  if (auth.username !== undefined || auth.password !== undefined) {
    folder = await mkdtemp(join(tmpdir(), 'baton-git-'));
    askpass = join(folder, 'askpass.sh');
    await writeFile(askpass, ASKPASS);
    await chmod(askpass, 0o700);
  }
  const env = gitEnv(auth, askpass);
  // A credential helper of the machine would store the password given here, or answer in its place.
  const base = ['-c', 'credential.helper=', '-c', 'core.askPass='];
  const run = (args: string[], cwd: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = spawn('git', [...base, ...args], {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        signal: ctx.signal,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (e: NodeJS.ErrnoException) => {
        if (ctx.signal.aborted) return reject(ctx.signal.reason);
        reject(
          new TaskError(
            e.code === 'ENOENT'
              ? 'git is not installed (no `git` on PATH): install it on the worker (apt-get install git)'
              : `cannot run git: ${e.message}`,
            { retryable: false },
          ),
        );
      });
      child.on('close', (code) => {
        if (ctx.signal.aborted) return reject(ctx.signal.reason);
        if (code === 0) return resolve(stdout);
        const message = maskCredentials(stderr.trim() || `exit code ${code}`, auth);
        // Network and server errors may pass; a missing branch or bad credentials will not.
        const permanent = /not found|couldn't find|authentication failed|could not read username|invalid/i;
        reject(new TaskError(`git ${args[0]} failed: ${message}`, { retryable: !permanent.test(message) }));
      });
    });
  return {
    run,
    dispose: async () => {
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
};

/**
 * Clones into `dir` as `git init` + `fetch` + `checkout`, which also works in a folder that already
 * holds files (a WorkingDirectory's input files), where `git clone` refuses. Returns the commit checked
 * out and the branch (undefined for a tag or a commit).
 */
export const cloneInto = async (
  ctx: TaskRunContext,
  git: Git,
  opts: CloneOptions,
): Promise<{ commit: string; branch?: string }> => {
  const { dir } = opts;
  await git.run(['init', '-q', dir], ctx.workingDir);
  // Set rather than `remote add`: a retry, or a second clone into the same folder, finds it there.
  await git.run(['config', 'remote.origin.url', opts.url], dir);
  await git.run(
    ['config', '--replace-all', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'],
    dir,
  );
  for (const [key, value] of Object.entries(opts.gitConfig ?? {}))
    await git.run(['config', key, String(value)], dir);
  const depth = opts.commit || !opts.depth ? [] : [`--depth=${opts.depth}`];
  let branch: string | undefined;
  if (opts.commit) {
    await git.run(['fetch', '-q', '--tags', 'origin'], dir);
    await git.run(['checkout', '-q', '--detach', opts.commit], dir);
  } else if (opts.tag) {
    await git.run(['fetch', '-q', ...depth, 'origin', `+refs/tags/${opts.tag}:refs/tags/${opts.tag}`], dir);
    await git.run(['checkout', '-q', '--detach', `refs/tags/${opts.tag}`], dir);
  } else {
    branch = opts.branch ?? (await defaultBranch(git, dir));
    await git.run(
      ['fetch', '-q', ...depth, 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`],
      dir,
    );
    await git.run(['checkout', '-q', '-B', branch, '--track', `origin/${branch}`], dir);
  }
  if (opts.cloneSubmodules)
    await git.run(['submodule', 'update', '-q', '--init', '--recursive', ...depth], dir);
  const commit = (await git.run(['rev-parse', 'HEAD'], dir)).trim();
  return { commit, branch };
};

/** The branch the remote's HEAD points to (`main`, `master`...). */
const defaultBranch = async (git: Git, dir: string): Promise<string> => {
  const out = await git.run(['ls-remote', '--symref', 'origin', 'HEAD'], dir);
  const m = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(out);
  if (!m)
    throw new TaskError('the repository has no default branch (empty?): set `branch`', { retryable: false });
  return m[1]!;
};
