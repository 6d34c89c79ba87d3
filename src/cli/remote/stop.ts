/**
 * Ctrl-C (SIGINT) and SIGTERM in a command following an execution on a server, as session.ts does for
 * the embedded ones: the first signal aborts the wait, and the command asks the server to kill the
 * execution it started or waits for, says how to restart it and exits 130 (SIGINT) or 143 (SIGTERM).
 * A second signal exits at once (the server goes on with whatever it was doing).
 */
import type { Execution } from '../../execution/types.ts';
import { type ServerClient, ServerRequestError } from '../client.ts';
import { executionPath, followExecution, settled } from './follow.ts';

/**
 * After the first signal, how long the killed execution gets to end KILLED before the command stops
 * anyway (as session.ts KILL_WAIT_MS: the worker stops a task's scripts within seconds, and waiting
 * longer would only keep a person waiting).
 */
const KILL_WAIT_MS = 10_000;

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

export class RemoteInterrupted extends Error {
  readonly exitCode: number;
  constructor(signal: StopSignal) {
    super(`interrupted by ${signal}`);
    this.name = 'RemoteInterrupted';
    this.exitCode = EXIT_CODES[signal];
  }
}

export interface StopSignals {
  /** Aborted with a RemoteInterrupted at the first signal. */
  signal: AbortSignal;
  /** Stops listening to the signals. */
  close(): void;
}

export const listenForStop = (): StopSignals => {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (name: StopSignal) => {
    count++;
    if (count > 1) process.exit(EXIT_CODES[name]);
    process.stderr.write(`baton: ${name}: stopping (send it again to exit at once)\n`);
    controller.abort(new RemoteInterrupted(name));
  };
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((s) => [s, () => onSignal(s)] as const);
  for (const [s, handler] of handlers) process.on(s, handler);
  return {
    signal: controller.signal,
    close() {
      for (const [s, handler] of handlers) process.off(s, handler);
    },
  };
};

/** Asks the server to kill `id` and waits (at most KILL_WAIT_MS) for it to end; its last state. */
const killAndWait = async (client: ServerClient, id: string): Promise<Execution | undefined> => {
  try {
    await client.request('DELETE', `${executionPath(id)}/kill`);
  } catch (error) {
    // 409: it ended meanwhile; its state is read below all the same.
    if (!(error instanceof ServerRequestError && error.status === 409)) throw error;
  }
  let last: Execution | undefined;
  try {
    return await followExecution(client, id, {
      onChange: (e) => {
        last = e;
      },
      until: settled,
      signal: AbortSignal.timeout(KILL_WAIT_MS),
    });
  } catch {
    return last;
  }
};

/** After the first signal: the followed execution killed on the server, what to do next; the exit code. */
export const stoppedRemote = async (
  client: ServerClient,
  reason: RemoteInterrupted,
  current: string | undefined,
): Promise<number> => {
  if (current) {
    try {
      const last = await killAndWait(client, current);
      const state = last?.state.current ?? 'unknown';
      console.error(
        state === 'KILLED'
          ? `baton: execution ${current} KILLED. Restart it with: baton restart ${current} --server ${client.url}`
          : `baton: execution ${current} is ${state}`,
      );
    } catch (error) {
      console.error(
        `baton: could not kill execution ${current}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return reason.exitCode;
};
