/**
 * Which Python runs the python tasks: `python`, as Kestra's images have it, or else `python3`, the only
 * name plain Debian and Ubuntu install. The choice is logged, so a run says which interpreter it used.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TaskRunContext } from '../context.ts';
import { TaskError } from '../types.ts';

const onPath = (name: string, path: string): string | undefined => {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
};

export interface PythonChoice {
  /** The command name to run: `python` or `python3`. */
  name: 'python' | 'python3';
  /**
   * Shell lines run before the commands: with `python3` only, a `python` function forwarding to it, so
   * that commands written `python main.py` run too.
   */
  prelude: string[];
}

/** Looks up `python`, then `python3`, on the PATH the process will have. */
export const choosePython = (ctx: TaskRunContext, path: string): PythonChoice => {
  const python = onPath('python', path);
  if (python) {
    ctx.logger.info(`python interpreter: ${python}`);
    return { name: 'python', prelude: [] };
  }
  const python3 = onPath('python3', path);
  if (!python3)
    throw new TaskError(
      'neither `python` nor `python3` is on the PATH of this worker: install Python 3 (e.g. apt-get install python3)',
      { retryable: false },
    );
  ctx.logger.info(`python interpreter: ${python3} (no \`python\` on the PATH, using python3)`);
  return { name: 'python3', prelude: ['python() { python3 "$@"; }'] };
};
