/**
 * The data folder (`--data`, default `./.baton`): the database, internal storage and the encryption key.
 * It holds secrets, so it is created private (0700) and the database file 0600. A folder that cannot be
 * used gets one message naming it and what to do, before anything is opened.
 */
import { accessSync, chmodSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BatonError } from '../errors.ts';

export class DataDirError extends BatonError {
  constructor(message: string) {
    super('DATA_DIR', message);
  }
}

export const prepareDataDir = (dir: string): void => {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new DataDirError(`data folder ${dir} is a file: choose another folder with --data DIR`);
    try {
      accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    } catch {
      throw new DataDirError(
        `data folder ${dir} is not writable by this user: fix its permissions or choose another with --data DIR`,
      );
    }
    return;
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataDirError(
      `data folder ${dir} cannot be created (${code ?? String(error)}): check that ${dirname(dir)} is writable or choose another with --data DIR`,
    );
  }
};

/** The database and its WAL files are readable by their owner only. */
export const restrictFile = (path: string): void => {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(p)) chmodSync(p, 0o600);
};
