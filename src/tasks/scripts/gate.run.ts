/**
 * The start gate of a script whose attempt records its processes (`ctx.processStarted`): the process is
 * started as a small shell waiting on a pipe (fd 3), recorded with its job, then let through to `exec`
 * the real command (same pid, same process group, same start time). So a script never runs unrecorded:
 * if `baton` dies before the record is written, the pipe closes and the gate exits without running it,
 * and the attempt that takes the job over knows of every script that may still run.
 */

import type { ChildProcess, StdioOptions } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { TaskError } from '../types.ts';

/** Waits for a line on fd 3 (EOF: `baton` died, run nothing), closes it, becomes the command. */
const GATE = 'read -r _ <&3 || exit 125; exec 3<&-; exec "$@"';

/** The argv and stdio that start `argv` behind the gate. */
export const gated = (argv: string[]): { argv: string[]; stdio: StdioOptions } => ({
  argv: ['/bin/sh', '-c', GATE, 'baton-gate', ...argv],
  stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
});

/** Lets the gated process through. */
export const openGate = (child: ChildProcess): void => {
  const gate = child.stdio[3] as NodeJS.WritableStream | null | undefined;
  if (!gate) return;
  gate.on('error', () => undefined); // the process is gone already: nothing to let through
  gate.end('go\n');
};

const executable = async (path: string): Promise<boolean> =>
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

/**
 * Refuses a command that cannot be started (as spawning it directly would), before the gate hides that
 * behind the shell's exit code 127: a configuration error, not worth a retry.
 */
export const checkCommand = async (command: string, path: string | undefined): Promise<void> => {
  const found = command.includes('/')
    ? await executable(command)
    : (
        await Promise.all((path ?? '').split(delimiter).map((dir) => dir && executable(join(dir, command))))
      ).some(Boolean);
  if (!found) throw new TaskError(`cannot start ${command}: not found`, { retryable: false });
};
