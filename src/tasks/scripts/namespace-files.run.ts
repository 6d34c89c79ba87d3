/**
 * `namespaceFiles` of the script tasks and WorkingDirectory: copies files of the namespace (the flow's
 * by default) into the working folder before the commands run, as Kestra does.
 */
import { writeFile } from 'node:fs/promises';
import { NamespaceFiles } from '../../storage/namespace-files.ts';
import { pathMatcher } from '../../storage/path-matcher.ts';
import type { TaskRunContext } from '../context.ts';
import { TaskError } from '../types.ts';
import { insideWorkingDir, writableInside } from './files.run.ts';

export interface NamespaceFilesSpec {
  enabled?: boolean;
  include?: string[];
  exclude?: string[];
  namespaces?: string[];
  folderPerNamespace?: boolean;
  ifExists?: 'OVERWRITE' | 'FAIL' | 'WARN' | 'IGNORE';
}

/** Copies the chosen namespace files; returns the working-folder paths written. */
export const writeNamespaceFiles = async (
  ctx: TaskRunContext,
  spec: NamespaceFilesSpec | undefined,
): Promise<string[]> => {
  if (!spec || spec.enabled === false) return [];
  const include = spec.include?.length ? pathMatcher(spec.include) : () => true;
  const exclude = spec.exclude?.length ? pathMatcher(spec.exclude) : () => false;
  const written: string[] = [];
  for (const namespace of spec.namespaces?.length ? spec.namespaces : [ctx.flow.namespace]) {
    const store = new NamespaceFiles(ctx.storage, namespace);
    for (const path of await store.list()) {
      if (!include(path) || exclude(path)) continue;
      const relative = spec.folderPerNamespace ? `${namespace}${path}` : path.slice(1);
      const target = insideWorkingDir(ctx, relative);
      // The same path in two namespaces: `ifExists` decides (WARN overwrites and says so, IGNORE keeps the first).
      if (written.includes(target)) {
        const ifExists = spec.ifExists ?? 'OVERWRITE';
        if (ifExists === 'FAIL')
          throw new TaskError(
            `namespace file ${path} exists in several namespaces: set ifExists or folderPerNamespace`,
            {
              retryable: false,
            },
          );
        if (ifExists === 'WARN')
          ctx.logger.warn(`namespace file ${path} of ${namespace} overwrites another namespace's`);
        if (ifExists === 'IGNORE') continue;
      }
      await writeFile(await writableInside(ctx, relative, 'namespaceFiles'), await store.get(path));
      written.push(target);
    }
  }
  return written;
};
