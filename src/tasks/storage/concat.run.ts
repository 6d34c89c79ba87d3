/** storage.Concat: concatenates `files` (URIs, list or JSON string) with an optional `separator`; outputs `uri`. */
import { newId } from '../../util/ids.ts';
import type { RunFunction } from '../context.ts';
import { readStorageFile, saveStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<{ files: string[] | string; separator?: string; extension?: string }> = async (
  ctx,
  props,
) => {
  let files: unknown = props.files;
  if (typeof files === 'string') {
    try {
      files = JSON.parse(files);
    } catch {
      files = [files];
    }
  }
  if (!Array.isArray(files))
    throw new TaskError('Concat: `files` must be a list of URIs', { retryable: false });
  const parts: Buffer[] = [];
  for (const [i, uri] of files.entries()) {
    if (i > 0 && props.separator) parts.push(Buffer.from(props.separator));
    parts.push(await readStorageFile(ctx, String(uri)));
  }
  const uri = await saveStorageFile(ctx, `${newId()}${props.extension ?? '.tmp'}`, Buffer.concat(parts));
  return { outputs: { uri } };
};
