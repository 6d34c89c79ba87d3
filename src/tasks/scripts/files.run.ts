/** inputFiles / outputFiles of the script tasks: working dir ⇄ internal storage. */
import { glob, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
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
    const path = insideWorkingDir(ctx, name);
    await mkdir(dirname(path), { recursive: true });
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    await writeFile(path, text.startsWith('kestra:///') ? await readStorageFile(ctx, text) : text);
  }
};

/** Saves the files matching `globs` to internal storage; returns {relative path: uri}. */
export const collectOutputFiles = async (
  ctx: TaskRunContext,
  globs: string[] | undefined,
): Promise<Record<string, string> | undefined> => {
  if (!globs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const pattern of globs) {
    for await (const match of glob(pattern, { cwd: ctx.workingDir })) {
      const path = insideWorkingDir(ctx, match);
      if (!(await stat(path)).isFile()) continue;
      const name = relative(ctx.workingDir, path);
      out[name] = await saveStorageFile(ctx, name, await readFile(path));
    }
  }
  return out;
};
