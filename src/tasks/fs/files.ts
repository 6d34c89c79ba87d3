/**
 * Local files as Kestra's fs plugin describes them (`trigger.files` items, `trigger.file`), listing a
 * folder, and copying a file into internal storage (its `uri`) so that the execution reads its own
 * copy whatever becomes of the original (moved, deleted, rewritten).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TriggerTypeContext } from '../../scheduler/registry.ts';

export interface LocalFile {
  name: string;
  /** Absolute path where the file was found. */
  localPath: string;
  /** Same as localPath (Kestra's older examples read `path`). */
  path: string;
  parent: string;
  size: number;
  isDirectory: false;
  createdDate: string;
  modifiedDate: string;
  accessedDate: string;
  /** `kestra:///` URI of the copy in internal storage. */
  uri: string;
}

export interface Seen {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Regular files of `folder` (and its sub-folders with `recursive`), sorted by path. */
export const listFiles = async (folder: string, recursive: boolean): Promise<Seen[]> => {
  const out: Seen[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (recursive) await walk(path);
      } else if (e.isFile()) {
        // Gone between the listing and the look (moved by another consumer): skipped.
        const s = await stat(path).catch(() => undefined);
        if (s) out.push({ path, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk(folder);
  return out.sort((a, b) => a.path.localeCompare(b.path));
};

/** Copies the file to internal storage under the trigger's folder and describes it. */
export const describeAndCopy = async (ctx: TriggerTypeContext, path: string): Promise<LocalFile> => {
  if (!ctx.storage) throw new Error('this scheduler has no internal storage to copy files to');
  const s = await stat(path);
  const uri = await ctx.storage.put(
    [...ctx.flow.namespace.split('.'), ctx.flow.id, 'triggers', ctx.trigger.id, randomUUID(), basename(path)],
    createReadStream(path),
  );
  return {
    name: basename(path),
    localPath: path,
    path,
    parent: dirname(path),
    size: s.size,
    isDirectory: false,
    createdDate: s.birthtime.toISOString(),
    modifiedDate: s.mtime.toISOString(),
    accessedDate: s.atime.toISOString(),
    uri,
  };
};
