/**
 * Rendering of a script task's `commands`, `beforeCommands` and `script` as Kestra's script tasks do:
 * with the extra variable `workingDir` (the process's working folder), then every internal storage URI
 * written in them (`kestra:///...`: an input file, another task's output file) is downloaded into the
 * working folder and replaced by the local file's absolute path (Kestra's `ScriptService.
 * replaceInternalStorage`, with a local process: absolute paths).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskRunContext } from '../context.ts';
import { renderProps } from '../props.ts';
import { findDefinition } from '../registry.ts';

/** Rendered by the task (with `workingDir`), not up front by the worker. */
export const raw = ['commands', 'beforeCommands', 'script'] as const;

/**
 * Kestra's pattern of internal storage URIs in a command, plus `%`: Baton percent-encodes unusual
 * characters of file names in URIs, and a URI cut at its first `%` would name another file.
 */
const STORAGE_URI = /kestra:\/\/[-\p{L}\p{N}._+~#=/%]*/gu;

/** Downloads each URI once per task run; returns the local path. */
const localFile = async (ctx: TaskRunContext, uri: string, done: Map<string, string>): Promise<string> => {
  const known = done.get(uri);
  if (known) return known;
  // A fresh name keeps two URIs with the same file name apart; the original name (its safe characters)
  // is kept after it, so that tools that look at extensions still see `.csv`.
  const last = (uri.split('/').pop() ?? '').replace(/[^A-Za-z0-9._-]/g, '_');
  const path = join(ctx.workingDir, `${randomBytes(4).toString('hex')}-${last || 'file'}`);
  await writeFile(path, await ctx.storage.get(uri));
  done.set(uri, path);
  return path;
};

export const localizeStorageUris = async (
  ctx: TaskRunContext,
  text: string,
  done = new Map<string, string>(),
): Promise<string> => {
  const uris = [...new Set(text.match(STORAGE_URI) ?? [])];
  if (uris.length === 0) return text;
  const paths = new Map<string, string>();
  for (const uri of uris) paths.set(uri, await localFile(ctx, uri, done));
  return text.replace(STORAGE_URI, (uri) => paths.get(uri) ?? uri);
};

export interface ScriptSource {
  commands?: string[] | string;
  beforeCommands?: string[];
  script?: string;
}

/** The script properties rendered with `workingDir`, storage URIs made local files. */
export const renderScript = async <P extends ScriptSource>(ctx: TaskRunContext, props: P): Promise<P> => {
  const extra = { workingDir: ctx.workingDir };
  const own = Object.fromEntries(raw.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
  const rendered = renderProps(own, findDefinition(ctx.task.type), (v) => ctx.renderWith(v, extra));
  const done = new Map<string, string>();
  const local = async (v: unknown): Promise<unknown> =>
    typeof v === 'string'
      ? localizeStorageUris(ctx, v, done)
      : Array.isArray(v)
        ? Promise.all(v.map(local))
        : v;
  const out = { ...props } as Record<string, unknown>;
  for (const [k, v] of Object.entries(rendered)) out[k] = await local(v);
  return out as P;
};
