/** inputFiles / outputFiles of the script tasks: working dir ⇄ internal storage. */
import { constants } from 'node:fs';
import { glob, mkdir, open, realpath, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { TaskRunContext } from '../context.ts';
import { readStorageFile, saveStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';

/** A path inside the working dir, refusing `../` escapes (a file name comes from the flow or its inputs). */
export const insideWorkingDir = (ctx: TaskRunContext, name: string): string => {
  const path = resolve(ctx.workingDir, name);
  if (path !== ctx.workingDir && !path.startsWith(ctx.workingDir + sep)) {
    throw new TaskError(`file '${name}' is outside the working directory`, { retryable: false });
  }
  return path;
};

export const writeInputFiles = async (
  ctx: TaskRunContext,
  files: Record<string, unknown> | string | undefined,
) => {
  if (files === undefined || files === null || files === '') return;
  let map: Record<string, unknown>;
  if (typeof files === 'string') {
    try {
      map = JSON.parse(files);
    } catch {
      throw new TaskError('inputFiles: expected a map of file name to content, or a JSON string of one', {
        retryable: false,
      });
    }
  } else map = files;
  for (const [name, content] of Object.entries(map)) {
    const path = await writableInside(ctx, name, 'inputFiles');
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    await writeFile(path, text.startsWith('kestra:///') ? await readStorageFile(ctx, text) : text);
  }
};

/**
 * The real path of a file of the working dir, or undefined when a symbolic link (the file or a folder on
 * its way) leads out of it: a script must not get the worker to copy `/etc/passwd` into internal storage
 * by linking `out.txt` to it. Links that stay inside are followed.
 */
const realInside = async (ctx: TaskRunContext, path: string): Promise<string | undefined> => {
  const root = await realpath(ctx.workingDir);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return undefined; // a dangling link
  }
  return real === root || real.startsWith(root + sep) ? real : undefined;
};

/**
 * A path of the working dir made ready to be written: its folders exist and lead nowhere else, and a link
 * in its place (left by an earlier script of a WorkingDirectory) is removed, not written through.
 */
export const writableInside = async (ctx: TaskRunContext, name: string, what: string): Promise<string> => {
  const path = insideWorkingDir(ctx, name);
  await mkdir(dirname(path), { recursive: true });
  if (!(await realInside(ctx, dirname(path))))
    throw new TaskError(`${what}: '${name}' is in a folder linked outside the working directory`, {
      retryable: false,
    });
  await rm(path, { force: true });
  return path;
};

/**
 * Saves the files matching `globs` to internal storage; returns {relative path: uri}. A match that is a
 * link out of the working dir is skipped with a WARN line.
 */
export const collectOutputFiles = async (
  ctx: TaskRunContext,
  globs: string[] | undefined,
): Promise<Record<string, string> | undefined> => {
  if (!globs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const pattern of globs) {
    for await (const match of glob(pattern, { cwd: ctx.workingDir })) {
      const path = insideWorkingDir(ctx, match);
      const name = relative(ctx.workingDir, path);
      const real = await realInside(ctx, path);
      if (!real) {
        ctx.logger.warn(`outputFiles: '${name}' links outside the working directory: not collected`);
        continue;
      }
      const content = await readRegularFile(real);
      if (content) out[name] = await saveStorageFile(ctx, name, content);
    }
  }
  return out;
};

/**
 * The content of a regular file, read without following a link: a process the script left running
 * cannot swap the checked file for a link between the check and the read. Undefined for a folder.
 */
const readRegularFile = async (path: string): Promise<Buffer | undefined> => {
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (!(await file.stat()).isFile()) return undefined;
    return await file.readFile();
  } finally {
    await file.close();
  }
};
