/** namespace.DeleteFiles: deletes the namespace files matching `files`; a `deleted` counter says how many. */
import { pathMatcher } from '../../storage/path-matcher.ts';
import type { RunFunction } from '../context.ts';
import { namespaceFiles, patternList } from './common.run.ts';

export const run: RunFunction<{ namespace: string; files: string | string[] }> = async (ctx, props) => {
  const store = namespaceFiles(ctx, props.namespace);
  const matches = pathMatcher(patternList(props.files, 'DeleteFiles'));
  const deleted: string[] = [];
  for (const path of await store.list()) {
    if (matches(path) && (await store.delete(path))) {
      deleted.push(path);
      ctx.logger.debug(`Deleted ${path}`);
    }
  }
  ctx.metric('deleted', deleted.length);
  // Folders exist only through their files here, so `deleteParentFolder` has nothing more to remove.
  return { outputs: { files: deleted } };
};
