/**
 * The engine of a command that runs executions (`baton run`, operator commands), and what stops it.
 *
 * - A fatal database failure (full, read-only, damaged): `signal` aborts with a FatalStoreError whose
 *   message says what to do; the command prints it and exits 3, as when the database cannot be opened.
 * - The first SIGINT (Ctrl-C) or SIGTERM: `signal` aborts with Interrupted; the command kills the
 *   execution it waits for (`stopExecution`: its scripts' process groups are killed, it ends KILLED),
 *   says how to restart it and exits 130 (SIGINT) or 143 (SIGTERM). Other running jobs are stopped and
 *   released by `close`, for the next start to run them again.
 * - A second signal exits at once, killing the scripts' process groups first: no script outlives us.
 */
import { EXIT } from '../errors.ts';
import { type Execution, isTerminal } from '../execution/types.ts';
import { type Embedded, type EmbeddedOptions, openEmbedded } from '../runtime/embedded.ts';
import { waitForExecution } from '../runtime/wait.ts';
import { killProcessGroups } from '../util/process-groups.ts';

/**
 * After the first signal, how long the killed execution gets to end KILLED before the command stops
 * anyway: its scripts get SIGTERM, then SIGKILL 2 s later, and a task ignoring its kill is abandoned
 * after 5 s (see the worker); beyond that, waiting longer would only keep a person waiting.
 */
const KILL_WAIT_MS = 10_000;

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

/** The command was asked to stop by a signal. */
export class Interrupted extends Error {
  readonly signal: StopSignal;
  readonly exitCode: number;
  constructor(signal: StopSignal) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
    this.signal = signal;
    this.exitCode = EXIT_CODES[signal];
  }
}

export interface Session {
  engine: Embedded;
  /** Aborted when the command must stop; its reason is an Interrupted or a FatalStoreError. */
  signal: AbortSignal;
  /** Stops the engine (at once after a stop: running jobs are killed and released). Never throws. */
  close(): Promise<void>;
}

export const openSession = async (options: EmbeddedOptions): Promise<Session> => {
  const controller = new AbortController();
  const stop = (reason: Error) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const engine = await openEmbedded({ ...options, onFatal: stop });
  let signals = 0;
  const onSignal = (signal: StopSignal) => {
    signals++;
    if (signals > 1) {
      killProcessGroups();
      process.exit(EXIT_CODES[signal]);
    }
    process.stderr.write(`baton: ${signal}: stopping (send it again to exit at once)\n`);
    stop(new Interrupted(signal));
  };
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((s) => [s, () => onSignal(s)] as const);
  for (const [s, handler] of handlers) process.on(s, handler);
  return {
    engine,
    signal: controller.signal,
    async close() {
      try {
        await engine.close({ drain: !controller.signal.aborted });
      } catch {
        // The database may be what failed: the reason was said already.
      } finally {
        for (const [s, handler] of handlers) process.off(s, handler);
      }
    },
  };
};

/**
 * Kills an execution after a signal and waits (at most KILL_WAIT_MS) for it to end: its scripts are
 * stopped through the worker (their process groups get SIGTERM, then SIGKILL). Returns its last state.
 */
export const stopExecution = async (engine: Embedded, id: string): Promise<Execution | undefined> => {
  const current = await engine.executor.getExecution(id);
  if (!current || settled(current)) return current;
  await engine.executor.send(id, { type: 'kill' });
  const giveUp = new AbortController();
  const timer = setTimeout(() => giveUp.abort(new Error('not killed in time')), KILL_WAIT_MS);
  try {
    return await waitForExecution(engine.executor, id, settled, giveUp.signal);
  } catch {
    return engine.executor.getExecution(id);
  } finally {
    clearTimeout(timer);
  }
};

/** Final state reached and nothing runs any more (afterExecution tasks run after the end). */
export const settled = (e: Execution): boolean =>
  isTerminal(e.state.current) && e.taskRuns.every((t) => isTerminal(t.state.current));

/** After a signal or a fatal failure: what happened, what to do; the exit code. */
export const stopped = async (
  engine: Embedded,
  reason: unknown,
  current: string | undefined,
): Promise<number> => {
  if (!(reason instanceof Interrupted)) {
    console.error(`baton: ${reason instanceof Error ? reason.message : String(reason)}`);
    // The database cannot be used: an environment Baton cannot work in, as when it cannot be opened.
    return EXIT.internal;
  }
  if (current) {
    const last = await stopExecution(engine, current);
    const state = last?.state.current ?? 'unknown';
    console.error(
      state === 'KILLED'
        ? `baton: execution ${current} KILLED. Restart it with: baton restart ${current}`
        : `baton: execution ${current} is ${state}`,
    );
  }
  const others = (await engine.store.listOwnedExecutions(engine.owner)).filter(
    (o) => o.executionId !== current && o.state !== undefined && !isTerminal(o.state) && o.state !== 'PAUSED',
  );
  if (others.length > 0)
    console.error(
      `baton: ${others.length} other execution(s) left unfinished: the next baton command on this data folder resumes them`,
    );
  return reason.exitCode;
};
