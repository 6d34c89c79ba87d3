/**
 * A job's folder under the worker's root: its own temporary one, or the folder shared by the children of
 * a WorkingDirectory (kept until the execution ends).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerJobPayload } from './types.ts';

export const jobDir = (root: string, payload: WorkerJobPayload): string => {
  if (payload.workingDirectory) {
    const dir = sharedDir(root, payload.workingDirectory);
    // Scripts there may hold rendered secrets: readable by this user only (as mkdtemp makes them).
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(root, `${payload.taskRunId}-`));
};

export const sharedDir = (root: string, key: string): string =>
  join(root, `wd-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`);
