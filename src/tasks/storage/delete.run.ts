/** storage.Delete: deletes the file at `uri`; outputs `uri`. A missing file fails only with `errorOnMissing`. */
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<{ uri: string; errorOnMissing?: boolean }> = async (ctx, props) => {
  const deleted = await ctx.storage.delete(props.uri);
  if (!deleted && props.errorOnMissing)
    throw new TaskError(`Unable to find file '${props.uri}'`, { retryable: false });
  return { outputs: { uri: props.uri } };
};
