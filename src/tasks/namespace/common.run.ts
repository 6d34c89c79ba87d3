/** Shared by the namespace files tasks: the rendered `files` patterns and the namespace's file store. */
import { NamespaceFiles } from '../../storage/namespace-files.ts';
import type { TaskRunContext } from '../context.ts';
import { TaskError } from '../types.ts';

/** `files` as Kestra reads it: one pattern or a list of patterns. */
export const patternList = (files: unknown, task: string): string[] => {
  const list = typeof files === 'string' ? [files] : Array.isArray(files) ? files.map(String) : undefined;
  if (!list || list.length === 0)
    throw new TaskError(`${task}: files must be a pattern or a non-empty list of patterns`, {
      retryable: false,
    });
  return list;
};

export const namespaceFiles = (ctx: TaskRunContext, namespace: string | undefined): NamespaceFiles =>
  new NamespaceFiles(ctx.storage, namespace || ctx.flow.namespace);
