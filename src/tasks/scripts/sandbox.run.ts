/**
 * `sandbox: true`: the script runs under bubblewrap and sees only what it needs to run, never the data
 * folder (database, internal storage, `encryption.key`), home folders or the system's password hashes:
 * - read-only: `/usr` (and `/bin`, `/sbin`, `/lib*` as they are: links into /usr, or folders), the few
 *   `/etc` files the dynamic linker, name resolution and language runtimes read (`passwd` and `group`
 *   hold names only; the hashes are in `shadow`, left out), and the folder of the Node running Baton
 *   (node scripts), read-only;
 * - read-write: its working folder; a private, empty `/tmp` (also its HOME); fresh `/proc` and `/dev`;
 * - no network, its own pid and IPC namespaces, no capabilities, killed with its parent.
 * Tools installed elsewhere (`/opt`, a home folder's pyenv or venv) are not there: give the script what it
 * needs through its working folder (inputFiles, namespaceFiles) or install it under /usr.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { delimiter, dirname, sep } from 'node:path';
import { TaskError } from '../types.ts';

/** Top-level system folders: bound read-only, or recreated as the links into /usr they often are. */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** What of /etc a script needs: the dynamic linker, user and host names, time zone, certificates. */
const ETC = [
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'nsswitch.conf',
  'passwd',
  'group',
  'hosts',
  'host.conf',
  'resolv.conf',
  'gai.conf',
  'localtime',
  'timezone',
  'alternatives',
  'ssl',
  'ca-certificates',
  'ca-certificates.conf',
  'mime.types',
  'protocols',
  'services',
  'os-release',
  'locale.alias',
  'locale.conf',
];

/** Debian's Python reads /etc/python3.x (sitecustomize). */
const etcRuntimes = (): string[] => {
  try {
    return readdirSync('/etc').filter((name) => /^python3(\.\d+)?$/.test(name));
  } catch {
    return [];
  }
};

/** The folders holding the Node that runs Baton (its path as started, and the real one). */
const nodeFolders = (): string[] => {
  const dirs = new Set([dirname(process.execPath)]);
  try {
    dirs.add(dirname(realpathSync(process.execPath)));
  } catch {}
  return [...dirs].filter((d) => !isUnder(d, SYSTEM));
};

const isUnder = (path: string, roots: readonly string[]): boolean =>
  roots.some((r) => path === r || path.startsWith(r + sep));

const bwrapPath = (): string => {
  const bwrap = ['/usr/bin/bwrap', '/bin/bwrap'].find((p) => existsSync(p));
  if (!bwrap) {
    throw new TaskError('sandbox: bubblewrap is not installed on this worker (apt-get install bubblewrap)', {
      retryable: false,
    });
  }
  return bwrap;
};

/** `argv` run under bubblewrap, seeing only what is listed above. */
export const sandboxed = (argv: string[], workingDir: string): string[] => {
  const args = [bwrapPath()];
  for (const dir of SYSTEM) {
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  for (const name of [...ETC, ...etcRuntimes()]) args.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`);
  for (const dir of nodeFolders()) args.push('--ro-bind', dir, dir);
  args.push(
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--bind',
    workingDir,
    workingDir,
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--chdir',
    workingDir,
    '--',
    ...argv,
  );
  return args;
};

/**
 * The environment of a sandboxed script: PATH keeps only the folders it can see (so that choosing an
 * interpreter on the PATH finds one that is there), HOME is its private /tmp.
 */
export const sandboxEnv = (env: Record<string, string>, workingDir: string): Record<string, string> => {
  const visible = [...SYSTEM, ...nodeFolders(), workingDir];
  const path = (env.PATH ?? '').split(delimiter).filter((d) => d && isUnder(d, visible));
  return { ...env, PATH: path.join(delimiter), HOME: '/tmp' };
};
