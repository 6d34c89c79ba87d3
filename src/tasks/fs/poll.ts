/**
 * io.kestra.plugin.fs.local.Trigger: polls a folder under the allowed paths. A file is taken once its
 * size and modification time are the same at two polls in a row (a file still being written is not);
 * at most `maxFiles` per execution, each copied to internal storage (`trigger.files[].uri`). The
 * `action` (MOVE to `moveDirectory`, DELETE, NONE) is applied only once the execution is stored: a crash
 * in between leaves the files where they were, taken again after restart. With NONE, the files taken
 * are remembered (in the trigger's state, written with the execution) until they change.
 */
import { copyFile, mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { PollResult, TriggerTypeContext } from '../../scheduler/registry.ts';
import { crashBeforeAckHook, renderTriggerProps } from '../../scheduler/trigger-support.ts';
import { TaskError } from '../types.ts';
import { allowedPaths, checkAllowed } from './allowed.ts';
import { describeAndCopy, listFiles } from './files.ts';

export interface FsTriggerProps {
  from: string;
  recursive?: boolean;
  action?: 'MOVE' | 'DELETE' | 'NONE';
  moveDirectory?: string;
  maxFiles?: number;
  regExp?: string;
}

/** Kestra's default `maxFiles`. */
const DEFAULT_MAX_FILES = 25;
const PROPS = ['from', 'recursive', 'action', 'moveDirectory', 'maxFiles', 'regExp'];

interface Memory {
  /** Files seen at the last poll: path → "size:mtime". */
  sizes?: Record<string, string>;
  /** With NONE, files already taken: path → "size:mtime" when taken. */
  done?: Record<string, string>;
}

/** The move folder, created if needed, but only when it lies under an allowed path. */
const moveFolder = async (folder: string | undefined): Promise<string> => {
  if (!folder) throw new TaskError('moveDirectory is required with action MOVE', { retryable: false });
  const target = resolve(folder);
  const lexicallyAllowed = allowedPaths().some((root) => {
    const rel = relative(root, target);
    return !rel.startsWith('..') && !isAbsolute(rel);
  });
  if (lexicallyAllowed) await mkdir(target, { recursive: true });
  return checkAllowed(target, 'moveDirectory');
};

const move = async (from: string, to: string): Promise<void> => {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    // Another file system: copied, then the original removed.
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
};

export const pollFolder = async (ctx: TriggerTypeContext, type: string): Promise<PollResult> => {
  const p = renderTriggerProps<FsTriggerProps>(ctx, PROPS);
  const root = await checkAllowed(p.from, 'from');
  const action = p.action ?? 'NONE';
  const moveDir = action === 'MOVE' ? await moveFolder(p.moveDirectory) : undefined;
  const pattern = p.regExp ? new RegExp(p.regExp) : undefined;
  const memory = (ctx.data ?? {}) as Memory;
  const before = memory.sizes ?? {};
  const done = memory.done ?? {};

  const sizes: Record<string, string> = {};
  const stillDone: Record<string, string> = {};
  const ready: string[] = [];
  for (const f of await listFiles(root, p.recursive === true)) {
    if (moveDir && !relative(moveDir, f.path).startsWith('..')) continue; // the archive inside `from`
    if (pattern && !pattern.test(f.path)) continue;
    const sig = `${f.size}:${f.mtimeMs}`;
    if (done[f.path] === sig) {
      stillDone[f.path] = sig;
      continue;
    }
    sizes[f.path] = sig;
    if (before[f.path] === sig) ready.push(f.path);
  }
  const taken = ready.slice(0, p.maxFiles ?? DEFAULT_MAX_FILES);
  if (taken.length === 0) return { data: { sizes, done: stillDone } };
  const files = [];
  for (const path of taken) files.push(await describeAndCopy(ctx, path));
  if (action === 'NONE') for (const path of taken) stillDone[path] = sizes[path]!;
  return {
    event: { variables: { files } },
    data: { sizes, done: stillDone },
    async settle({ stored }) {
      if (!stored || action === 'NONE') return;
      crashBeforeAckHook(type);
      for (const path of taken) {
        try {
          if (action === 'DELETE') await unlink(path);
          else await move(path, join(moveDir!, relative(root, path)));
        } catch (error) {
          ctx.log.warn({ file: path, action, err: (error as Error).message }, 'file trigger action failed');
        }
      }
    },
  };
};
