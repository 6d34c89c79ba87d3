/**
 * Processes of this machine, as the script runner and the worker need them: who is still alive in a
 * process group, how to recognise a process again later (a pid alone may have been reused), and how to
 * end a whole group. Read from /proc on Linux; elsewhere only what `kill` tells is known.
 *
 * A process killed while its parent is gone is reparented to init, which may leave it a zombie for good
 * (some container inits never reap): zombies are dead all the same and are not counted as alive.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** After SIGTERM, how long a group gets to exit before SIGKILL (a script trapping TERM must not survive). */
export const KILL_GRACE_MS = 2_000;
/** How often a group being ended is looked at: short, as a person or a new attempt waits on it. */
const POLL_MS = 50;
/** After SIGKILL, how long to wait for the kernel to take the processes down before giving up on them. */
const KILL_WAIT_MS = 1_000;

/** What recognises a process again later, even after `baton` died: a pid may be reused, its start never. */
export interface ProcessIdentity {
  host: string;
  /** The process's pid, also its process group's id (scripts lead their own group). */
  pid: number;
  /** Clock ticks from boot to the process's start (/proc/<pid>/stat, field 22). */
  startTime: string;
  /** The kernel's id of this boot: after a reboot, nothing of the last one is running. */
  bootId: string;
}

interface Stat {
  state: string;
  pgrp: number;
  startTime: string;
}

const readStat = (pid: number): Stat | undefined => {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTime: fields[19] ?? '' };
};

const hasProc = (): boolean => readStat(process.pid) !== undefined;

const bootId = (): string => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
};

/** How to recognise process `pid` later; undefined where /proc cannot tell (not Linux), or it is gone. */
export const processIdentity = (pid: number): ProcessIdentity | undefined => {
  const stat = readStat(pid);
  if (!stat || stat.startTime === '') return undefined;
  return { host: hostname(), pid, startTime: stat.startTime, bootId: bootId() };
};

/** Whether process `pid` runs (exists and is not a zombie); a process of another user counts. */
export const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = readStat(pid)?.state;
  return state !== 'Z' && state !== 'X';
};

/** The live (not zombie) processes of process group `pgid`. */
export const liveGroupMembers = (pgid: number): number[] => {
  // No member at all (not even a zombie): the common case, answered without reading /proc.
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return [];
  }
  if (!hasProc()) return [pgid];
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') out.push(Number(name));
  }
  return out;
};

/**
 * Whether the process group led by the recorded process may still run here: `elsewhere` (another
 * machine: not ours to look at), `gone`, `reused` (its pid now belongs to another process: never
 * signalled), or `running` with its live members. Linux keeps a pid from being reused while a process
 * group of that id exists, so when the leader is gone but members live on, they are that group's.
 */
export const recordedGroup = (
  p: ProcessIdentity,
): { status: 'elsewhere' | 'gone' | 'reused' } | { status: 'running'; members: number[] } => {
  if (p.host !== hostname()) return { status: 'elsewhere' };
  if (!hasProc() || p.bootId !== bootId()) return { status: 'gone' };
  const leader = readStat(p.pid);
  if (leader && leader.startTime !== p.startTime) return { status: 'reused' };
  const members = liveGroupMembers(p.pid);
  return members.length > 0 ? { status: 'running', members } : { status: 'gone' };
};

const signalGroup = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, signal);
  } catch {
    // gone meanwhile
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until group `pgid` has no live member, at most `ms`; whether it has none. */
const groupGone = async (pgid: number, ms: number): Promise<boolean> => {
  const deadline = Date.now() + ms;
  for (;;) {
    if (liveGroupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
};

/**
 * Ends process group `pgid`: SIGTERM, then SIGKILL to what is left after `graceMs`. Resolves once no
 * member is alive (or the kernel did not take them down within KILL_WAIT_MS after SIGKILL); says
 * whether SIGKILL was needed.
 */
export const endProcessGroup = async (
  pgid: number,
  graceMs = KILL_GRACE_MS,
): Promise<{ killed: boolean }> => {
  signalGroup(pgid, 'SIGTERM');
  if (await groupGone(pgid, graceMs)) return { killed: false };
  signalGroup(pgid, 'SIGKILL');
  await groupGone(pgid, KILL_WAIT_MS);
  return { killed: true };
};
