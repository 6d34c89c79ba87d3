/**
 * Processes of the built command (bin/baton.js over dist/) forming a cluster on one database: each
 * spawned with the same environment and data folder, its output kept for assertions and failure
 * messages, all SIGKILLed at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dropSchemas } from '../store/pg-helpers.ts';
import type { TestServer } from './server.ts';

const main = new URL('../../bin/baton.js', import.meta.url).pathname;

export interface BatonProcess {
  child: ChildProcess;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  exited: Promise<unknown>;
  /** Whether it is still running. */
  running(): boolean;
}

export interface BatonProcesses {
  /** Starts `baton ARGS --data DIR --log-format json` (pass `env` to override some variables). */
  spawn(args: string[], env?: Record<string, string>): BatonProcess;
  /** Everything every process printed, each block headed by its command line (for failure messages). */
  outputs(): string;
  /** SIGKILLs every process still running and waits for their exits. */
  killAll(): Promise<void>;
}

export const batonProcesses = (dataDir: string, env: Record<string, string | undefined>): BatonProcesses => {
  const procs: { args: string[]; proc: BatonProcess }[] = [];
  return {
    spawn(args, extra = {}) {
      const child = spawn(process.execPath, [main, ...args, '--data', dataDir, '--log-format', 'json'], {
        env: { ...env, ...extra },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
      const proc: BatonProcess = {
        child,
        output: () => output,
        exited: new Promise((r) => child.once('exit', r)),
        running: () => child.exitCode === null && child.signalCode === null,
      };
      procs.push({ args, proc });
      return proc;
    },
    outputs: () =>
      procs
        .map(({ args, proc }) => `--- baton ${args.join(' ')} (pid ${proc.child.pid})\n${proc.output()}`)
        .join('\n'),
    async killAll() {
      for (const { proc } of procs) if (proc.running()) proc.child.kill('SIGKILL');
      await Promise.all(procs.map(({ proc }) => proc.exited));
    },
  };
};

/**
 * The end of a PostgreSQL fault test: its processes killed, its API server stopped, its proxy closed,
 * its data folder and schemas removed.
 */
export const tearDownCluster = async (parts: {
  cluster?: BatonProcesses;
  api?: TestServer;
  proxy?: { close(): Promise<void> };
  dataDir: string;
}): Promise<void> => {
  await parts.cluster?.killAll();
  await parts.api?.dispose();
  await parts.proxy?.close();
  rmSync(parts.dataDir, { recursive: true, force: true });
  await dropSchemas();
};
