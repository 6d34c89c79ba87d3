/** storage.PurgeCurrentExecutionFiles: deletes every internal-storage file of the current execution. */
import type { RunFunction } from '../context.ts';

export const run: RunFunction<Record<string, never>> = async (ctx) => {
  const ref = {
    namespace: ctx.execution.namespace,
    flowId: ctx.execution.flowId,
    executionId: ctx.execution.id,
  };
  const { executionFolderUri } = await import('../../storage/uri.ts');
  const uris = await ctx.storage.list(executionFolderUri(ref)).catch(() => [] as string[]);
  await ctx.storage.deleteExecutionFiles(ref);
  return { outputs: { uris } };
};
