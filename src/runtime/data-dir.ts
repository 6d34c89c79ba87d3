/**
 * The data folder (`--data`, default `./.baton`): the database, internal storage and the encryption key.
 * It holds secrets, so it is created private (0700) and the database file 0600. A folder that cannot be
 * used gets one message naming it and what to do, before anything is opened.
 */
import { accessSync, chmodSync, constants, existsSync, mkdirSync, statfsSync, statSync } from 'node:fs';
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

/**
 * Below this many free bytes, the disk holding the data folder is taken as full at start: the first
 * writes (a step, a task's logs) would fail within seconds, after a task had run, perhaps for the
 * second time; refusing at once says why before anything runs.
 */
export const MIN_FREE_BYTES = 1024 * 1024;

/** Bytes this user may still write on the disk holding `dir`; undefined when that cannot be known. */
export const freeBytes = (dir: string): number | undefined => {
  try {
    const fs = statfsSync(dir);
    return Number(fs.bavail) * Number(fs.bsize);
  } catch {
    return undefined;
  }
};

/** Whether the disk holding `dir` is (nearly) full. */
export const diskFull = (dir: string): boolean =>
  (freeBytes(dir) ?? Number.POSITIVE_INFINITY) < MIN_FREE_BYTES;
