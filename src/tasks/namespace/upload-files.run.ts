/**
 * namespace.UploadFiles: saves files as namespace files of `namespace`, under `destination`:
 * - `files`: patterns of files of the working folder (in a WorkingDirectory), kept at their relative
 *   path; an internal storage URI in the list is uploaded under its file name;
 * - `filesMap`: namespace path → internal storage URI (or, Baton, the content itself).
 * `conflict` (OVERWRITE, ERROR, SKIP) decides for files that exist. Output: `files`, path → URI.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { NamespaceFileExistsError } from '../../storage/namespace-files.ts';
import { pathMatcher, withLeadingSlash } from '../../storage/path-matcher.ts';
import type { RunFunction, TaskRunContext } from '../context.ts';
import { readStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';
import { namespaceFiles } from './common.run.ts';

type Conflict = 'OVERWRITE' | 'ERROR' | 'SKIP';

const isUri = (v: string): boolean => v.startsWith('kestra://');

/** Every regular file under `dir`, as absolute paths (symbolic links are not followed). */
const walk = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(path)));
    else if (e.isFile()) out.push(path);
  }
  return out;
};

const asMap = (v: unknown): Record<string, unknown> => {
  if (typeof v !== 'string') return v as Record<string, unknown>;
  try {
    return JSON.parse(v) as Record<string, unknown>;
  } catch {
    throw new TaskError('UploadFiles: filesMap must be a map of path to URI, or a JSON string of one', {
      retryable: false,
    });
  }
};

const joinPath = (destination: string, path: string): string =>
  `${withLeadingSlash(destination).replace(/\/+$/, '')}${withLeadingSlash(path)}`;

export const run: RunFunction<{
  namespace: string;
  files?: string[] | Record<string, string> | string;
  filesMap?: Record<string, string> | string;
  destination?: string;
  conflict?: Conflict;
}> = async (ctx, props) => {
  const store = namespaceFiles(ctx, props.namespace);
  const destination = props.destination ?? '/';
  const conflict = props.conflict ?? 'OVERWRITE';
  // An older Kestra read a map in `files` as `filesMap`.
  const filesIsMap =
    props.files !== undefined && typeof props.files === 'object' && !Array.isArray(props.files);
  const files = props.files;
  const globs: string[] =
    files === undefined || filesIsMap ? [] : typeof files === 'string' ? [files] : (files as string[]);
  const map = filesIsMap ? (files as Record<string, string>) : props.filesMap;
  if (globs.length === 0 && map === undefined)
    throw new TaskError('UploadFiles: set `files` (patterns of local files) or `filesMap`', {
      retryable: false,
    });

  const uploaded: Record<string, string> = {};
  const put = async (path: string, data: Buffer | string) => {
    try {
      const uri = await store.put(path, data, conflict);
      if (uri) uploaded[path] = uri;
      else ctx.logger.debug(`Skipped ${path}: it exists`);
    } catch (err) {
      if (err instanceof NamespaceFileExistsError) throw new TaskError(err.message, { retryable: false });
      throw err;
    }
  };

  const patterns = globs.filter((g) => !isUri(g));
  for (const uri of globs.filter(isUri)) {
    if (await ctx.storage.exists(uri))
      await put(joinPath(destination, basename(uri)), await readStorageFile(ctx, uri));
  }
  if (patterns.length > 0) await uploadLocal(ctx, patterns, destination, put);
  for (const [path, value] of Object.entries(map === undefined ? {} : asMap(map))) {
    const text = String(value);
    if (!isUri(text)) await put(joinPath(destination, path), text);
    else if (await ctx.storage.exists(text))
      await put(joinPath(destination, path), await readStorageFile(ctx, text));
  }
  return { outputs: { files: uploaded } };
};

const uploadLocal = async (
  ctx: TaskRunContext,
  patterns: string[],
  destination: string,
  put: (path: string, data: Buffer) => Promise<void>,
) => {
  const matches = pathMatcher(patterns, ctx.workingDir);
  for (const file of await walk(ctx.workingDir)) {
    if (matches(file)) await put(joinPath(destination, relative(ctx.workingDir, file)), await readFile(file));
  }
};
