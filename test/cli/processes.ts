/** Helpers of the CLI tests that run `baton` as a real process and look at the processes it leaves. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const main = new URL('../../bin/baton.js', import.meta.url).pathname; // the shipped command

/** Runs `baton ...args` to its end. */
export const baton = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 60_000 });

/** Starts `baton run FILE --json --data DATA`, collecting its JSON lines and its stderr. */
export const startRun = (file: string, data: string) => {
  const child = spawn(process.execPath, [main, 'run', file, '--json', '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      /* not a JSON line */
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited, stderr: () => stderr };
};

/** Resolves once `cond` holds; another process makes it true (a file appears), so it is polled. */
export const until = async (cond: () => boolean, what: string, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what}: not in time`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * The live (not zombie) processes of a process group, read from /proc: a killed script's processes are
 * reparented to init, which may leave them zombies for a while; those are gone all the same.
 */
export const liveGroupMembers = (pgid: number): number[] => {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(name));
  }
  return out;
};

export const hasProc = existsSync('/proc/self/stat');

/** Kills a process group left by a test (a script of a baton killed with SIGKILL). */
export const killGroup = (pgid: number) => {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone */
  }
};
