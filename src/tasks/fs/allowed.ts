/**
 * Which local folders triggers may read, move or delete files in: only those under the server's
 * allowed paths, `BATON_ALLOWED_PATHS` (colon-separated absolute folders, as Kestra's `allowed-paths`
 * setting). Without it, no folder is allowed. Paths are compared resolved (symbolic links followed),
 * so `..` or a link cannot lead outside.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { TaskError } from '../types.ts';

export const ALLOWED_PATHS_ENV = 'BATON_ALLOWED_PATHS';

export const allowedPaths = (env: NodeJS.ProcessEnv = process.env): string[] =>
  (env[ALLOWED_PATHS_ENV] ?? '')
    .split(':')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => resolve(p));

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The folder resolved, if it is under an allowed path; else an error saying how to allow it. */
export const checkAllowed = async (folder: string, what: string): Promise<string> => {
  const roots = allowedPaths();
  if (!isAbsolute(folder))
    throw new TaskError(`${what} '${folder}' must be an absolute path`, { retryable: false });
  if (roots.length === 0)
    throw new TaskError(
      `${what} '${folder}' is not allowed: no local folder is, until the server is started with ` +
        `${ALLOWED_PATHS_ENV} listing the folders triggers may watch (colon-separated)`,
      { retryable: false },
    );
  let real: string;
  try {
    real = await realpath(folder);
  } catch (error) {
    throw new TaskError(`${what} '${folder}' cannot be read: ${(error as Error).message}`, {
      retryable: true,
      cause: error,
    });
  }
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
  if (!realRoots.some((root) => inside(root, real)))
    throw new TaskError(
      `${what} '${folder}' is not under the server's allowed paths (${ALLOWED_PATHS_ENV}=${roots.join(':')})`,
      { retryable: false },
    );
  return real;
};
