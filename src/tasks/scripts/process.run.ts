/**
 * Shared runner of the script tasks (shell / node / python, Commands and Script): runs a command line as
 * a local process in the job's working directory, optionally sandboxed with bubblewrap.
 *
 * - The process is spawned `detached` (its own process group) so that a kill or timeout signals the
 *   whole tree (`process.kill(-pid)`), not only the interpreter.
 * - stdout lines `::{"outputs":{...},"metrics":[...],"logs":[...]}::` carry outputs (Kestra's protocol);
 *   other lines are logged (stdout INFO, stderr WARN).
 */
import { spawn } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LogLevel, MetricEntry } from '../../execution/types.ts';
import { addProcessGroup, removeProcessGroup } from '../../util/process-groups.ts';
import type { TaskRunContext } from '../context.ts';
import { TaskError, type TaskResult } from '../types.ts';
import { collectOutputFiles, writeInputFiles } from './files.run.ts';
import { type NamespaceFilesSpec, writeNamespaceFiles } from './namespace-files.run.ts';
import { sandboxEnv, sandboxed } from './sandbox.run.ts';

/** After SIGTERM, how long the process tree gets to exit before SIGKILL (a script trapping TERM must not survive). */
const KILL_GRACE_MS = 2_000;

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

  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: ctx.workingDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const stdoutDone = new Promise<void>((resolve) =>
    createInterface({ input: child.stdout }).on('line', onStdout).on('close', resolve),
  );
  const stderrDone = new Promise<void>((resolve) =>
    createInterface({ input: child.stderr })
      .on('line', (line) => {
        stderrLines++;
        ctx.logger.warn(line);
      })
      .on('close', resolve),
  );
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', (e) =>
      reject(new TaskError(`cannot start ${argv[0]}: ${e.message}`, { retryable: false })),
    );
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  }).finally(() => {
    ctx.signal.removeEventListener('abort', killTree);
    clearTimeout(killTimer);
    if (pgid !== undefined) removeProcessGroup(pgid);
  });
  await Promise.all([stdoutDone, stderrDone]);
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (exitCode !== 0) throw new TaskError(`Command failed with exit code ${exitCode}`);
  const outputFiles = await collectOutputFiles(ctx, props.outputFiles);
  const warn = (props.warningOnStdErr ?? true) && stderrLines > 0;
  return {
    state: warn ? 'WARNING' : 'SUCCESS',
    outputs: { vars, exitCode, ...(outputFiles ? { outputFiles } : {}) },
  };
};

/** Writes a Script task's `script` to a file in the working dir and returns its path. */
export const scriptFile = async (ctx: TaskRunContext, name: string, content: string): Promise<string> => {
  const { writeFile } = await import('node:fs/promises');
  const path = join(ctx.workingDir, name);
  await writeFile(path, content);
  return path;
};
