/**
 * Process groups of the scripts this process is running (each script runs in its own group, so that it
 * does not get the terminal's Ctrl-C). A process about to exit at once, without waiting for its jobs to
 * stop, kills them here: no script outlives the `baton` that started it.
 */
const groups = new Set<number>();

export const addProcessGroup = (pgid: number): void => {
  groups.add(pgid);
};

export const removeProcessGroup = (pgid: number): void => {
  groups.delete(pgid);
};

/** SIGKILLs every running script's process group (synchronously: safe right before process.exit). */
export const killProcessGroups = (): void => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
};
