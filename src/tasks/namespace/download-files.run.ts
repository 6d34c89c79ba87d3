/**
 * namespace.DownloadFiles: copies the namespace files matching `files` to the internal storage (files of
 * this task run, under `destination`); outputs `files`, namespace path → URI, and a `downloaded` counter.
 */
import { pathMatcher } from '../../storage/path-matcher.ts';
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { namespaceFiles, patternList } from './common.run.ts';

export const run: RunFunction<{ namespace: string; files: string | string[]; destination?: string }> = async (
  ctx,
  props,
) => {
  const store = namespaceFiles(ctx, props.namespace);
  const matches = pathMatcher(patternList(props.files, 'DownloadFiles'));
  const files: Record<string, string> = {};
  for (const path of await store.list()) {
    if (!matches(path)) continue;
    files[path] = await saveStorageFile(ctx, `${props.destination ?? ''}${path}`, await store.get(path));
    ctx.logger.debug(`Downloaded ${path}`);
  }
  ctx.metric('downloaded', Object.keys(files).length);
  return { outputs: { files } };
};
