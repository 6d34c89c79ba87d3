/**
 * Shared runner of the script tasks (shell / node / python, Commands and Script): runs a command line as
 * a local process in the job's working directory, optionally sandboxed with bubblewrap.
 *
 * - The process is spawned `detached` (its own process group) so that a kill or timeout signals the
 *   whole tree (`process.kill(-pid)`), not only the interpreter.
 * - The task ends when its main process exits. What it started in the background and left running
 *   (`cmd &`, `nohup cmd &`) would otherwise hold our pipes open, and `baton` with them, for as long as
 *   it runs: after a short drain of the output already written, the rest of the group is ended (SIGTERM,
 *   SIGKILL after a grace period) with a warning, and our ends of the pipes are closed whatever still
 *   holds them (a process that left the group with `setsid` is out of our reach). As in a container,
 *   which goes with its main process, nothing a task started outlives it.
 * - The process is recorded with the job (`ctx.processStarted`) before it runs (gate.run.ts), so that
 *   after a crash of `baton` the attempt that takes the job over ends it before running the task again.
 * - stdout lines `::{"outputs":{...},"metrics":[...],"logs":[...]}::` carry outputs (Kestra's protocol);
 *   other lines are logged (stdout INFO, stderr WARN).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { LogLevel, MetricEntry } from '../../execution/types.ts';
import { addProcessGroup, removeProcessGroup } from '../../util/process-groups.ts';
import { endProcessGroup, KILL_GRACE_MS, liveGroupMembers } from '../../util/processes.ts';
import type { TaskRunContext } from '../context.ts';
import { TaskError, type TaskResult } from '../types.ts';
import { collectOutputFiles, writeInputFiles } from './files.run.ts';
import { checkCommand, gated, openGate } from './gate.run.ts';
import { type NamespaceFilesSpec, writeNamespaceFiles } from './namespace-files.run.ts';
import { sandboxEnv, sandboxed } from './sandbox.run.ts';

/**
 * After the main process exits, how long its output still in the pipes gets to be read before what is
 * left of the group is ended: output is written before the exit, so a pipe nobody else holds closes
 * at once; this only bounds the wait on a background process holding it.
 */
const DRAIN_MS = 200;

export interface ScriptProps {
  beforeCommands?: string[];
  interpreter?: string[];
  env?: Record<string, unknown>;
  inputFiles?: Record<string, unknown> | string;
  outputFiles?: string[];
  namespaceFiles?: NamespaceFilesSpec;
  warningOnStdErr?: boolean;
  /** Baton: run under bubblewrap (read-only system, writable working dir, no network). */
  sandbox?: boolean;
}

const PROTOCOL = /^::(\{.*\})::$/;
const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']);

/** The worker's environment minus its secrets: a script sees only the secrets the flow passes in `env`. */
const baseEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('SECRET_') && !k.startsWith('BATON_SECRET_')) env[k] = v;
  }
  // `node` scripts must find the Node running Baton even when it is not on PATH.
  env.PATH = [env.PATH, dirname(process.execPath)].filter(Boolean).join(delimiter);
  return env;
};

/**
 * The process's environment: the worker's (less its secrets), `WORKING_DIR` as Kestra's task runners
 * set it, then the task's `env`.
 */
export const processEnv = (ctx: TaskRunContext, props: ScriptProps): Record<string, string> => {
  const env = {
    ...baseEnv(),
    WORKING_DIR: ctx.workingDir,
    ...Object.fromEntries(Object.entries(props.env ?? {}).map(([k, v]) => [k, String(v)])),
  };
  return props.sandbox ? sandboxEnv(env, ctx.workingDir) : env;
};

/**
 * Runs `command` (the script body: lines of commands) with the interpreter; returns Kestra's outputs.
 * `prelude` lines run first, before `beforeCommands` (e.g. the `python` → python3 function).
 */
export const runScript = async (
  ctx: TaskRunContext,
  props: ScriptProps,
  command: string,
  opts: { prelude?: string[] } = {},
): Promise<TaskResult> => {
  if (ctx.signal.aborted) throw ctx.signal.reason;
  // Namespace files first: inputFiles of the same name win, as in Kestra.
  await writeNamespaceFiles(ctx, props.namespaceFiles);
  await writeInputFiles(ctx, props.inputFiles);
  const script = [...(opts.prelude ?? []), ...(props.beforeCommands ?? []), command].join('\n');
  const interpreter = props.interpreter?.length ? props.interpreter : ['/bin/sh', '-c'];
  let argv = [...interpreter, script];
  if (props.sandbox) argv = sandboxed(argv, ctx.workingDir);
  const env = processEnv(ctx, props);

  // Recorded with its job before it runs (see gate.run.ts), where the attempt records its processes.
  const gate = ctx.processStarted ? gated(argv) : undefined;
  if (gate) await checkCommand(argv[0]!, env.PATH);
  const start = gate?.argv ?? argv;
  const child = spawn(start[0]!, start.slice(1), {
    cwd: ctx.workingDir,
    env,
    detached: true,
    stdio: gate?.stdio ?? ['ignore', 'pipe', 'pipe'],
  }) as ChildProcessByStdio<null, Readable, Readable>;
  const pgid = child.pid;
  if (pgid !== undefined) addProcessGroup(pgid);
  const vars: Record<string, unknown> = {};
  let stderrLines = 0;
  let killTimer: NodeJS.Timeout | undefined;
  const killTree = () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    killTimer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, KILL_GRACE_MS);
  };
  ctx.signal.addEventListener('abort', killTree, { once: true });

  const onStdout = (line: string) => {
    const m = PROTOCOL.exec(line.trim());
    if (!m) return ctx.logger.info(line);
    let message: { outputs?: Record<string, unknown>; metrics?: unknown[]; logs?: unknown[] };
    try {
      message = JSON.parse(m[1]!);
    } catch {
      return ctx.logger.info(line);
    }
    Object.assign(vars, message.outputs ?? {});
    for (const metric of message.metrics ?? []) {
      const x = metric as { name?: string; type?: string; value?: number; tags?: Record<string, string> };
      if (typeof x.name === 'string' && typeof x.value === 'number') {
        ctx.metric(
          x.name,
          x.value,
          (x.type === 'timer' ? 'timer' : 'counter') as MetricEntry['type'],
          x.tags ?? {},
        );
      }
    }
    for (const log of message.logs ?? []) {
      const x = log as { level?: string; message?: string };
      const level = (
        LEVELS.has(String(x.level).toUpperCase()) ? String(x.level).toUpperCase() : 'INFO'
      ) as LogLevel;
      ctx.logger.log(level, String(x.message ?? ''));
    }
  };
  const stdoutReader = createInterface({ input: child.stdout }).on('line', onStdout);
  const stderrReader = createInterface({ input: child.stderr }).on('line', (line) => {
    stderrLines++;
    ctx.logger.warn(line);
  });
  const pipesClosed = Promise.all([
    new Promise<void>((resolve) => stdoutReader.on('close', resolve)),
    new Promise<void>((resolve) => stderrReader.on('close', resolve)),
  ]);
  let exitCode: number;
  try {
    const exited = new Promise<number>((resolve, reject) => {
      child.on('error', (e) =>
        reject(new TaskError(`cannot start ${argv[0]}: ${e.message}`, { retryable: false })),
      );
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    exited.catch(() => undefined); // awaited below, after the record
    if (pgid !== undefined) await ctx.processStarted?.(pgid);
    openGate(child);
    exitCode = await exited;
    ctx.signal.removeEventListener('abort', killTree);
    await within(pipesClosed, DRAIN_MS);
    if (pgid !== undefined) await endLeftovers(ctx, pgid);
    await within(pipesClosed, DRAIN_MS);
  } finally {
    ctx.signal.removeEventListener('abort', killTree);
    clearTimeout(killTimer);
    // Whatever still holds the pipes (a process that left the group) is not waited for.
    stdoutReader.close();
    stderrReader.close();
    child.stdout.destroy();
    child.stderr.destroy();
    if (pgid !== undefined) removeProcessGroup(pgid);
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (exitCode !== 0) throw new TaskError(`Command failed with exit code ${exitCode}`);
  const outputFiles = await collectOutputFiles(ctx, props.outputFiles);
  const warn = (props.warningOnStdErr ?? true) && stderrLines > 0;
  return {
    state: warn ? 'WARNING' : 'SUCCESS',
    outputs: { vars, exitCode, ...(outputFiles ? { outputFiles } : {}) },
  };
};

/** Waits for `done`, at most `ms`. */
const within = async (done: Promise<unknown>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
};

/** Ends what the script left running in its process group after its main process exited (see the top). */
const endLeftovers = async (ctx: TaskRunContext, pgid: number): Promise<void> => {
  const left = liveGroupMembers(pgid);
  if (left.length === 0) return;
  // Killed or timed out: the group got its SIGTERM already; make sure it goes, without a warning.
  if (!ctx.signal.aborted)
    ctx.logger.warn(
      `the script exited leaving ${left.length} process(es) of its own running in the background (pid ${left.join(', ')}): ending them, as a task ends when its main process exits`,
    );
  await endProcessGroup(pgid, KILL_GRACE_MS);
};

/** Writes a Script task's `script` to a file in the working dir and returns its path. */
export const scriptFile = async (ctx: TaskRunContext, name: string, content: string): Promise<string> => {
  const { writeFile } = await import('node:fs/promises');
  const path = join(ctx.workingDir, name);
  await writeFile(path, content);
  return path;
};
