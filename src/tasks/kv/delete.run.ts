/** kv.Delete: removes `key`; outputs `deleted`. A missing key is an error only with `errorOnMissing`. */
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<{ key: string; namespace?: string; errorOnMissing?: boolean }> = async (
  ctx,
  props,
) => {
  const namespace = props.namespace || ctx.flow.namespace;
  const deleted = await ctx.store.kvDelete(namespace, props.key);
  if (!deleted && props.errorOnMissing) {
    throw new TaskError(`No value found for key '${props.key}' in namespace '${namespace}'`, {
      retryable: false,
    });
  }
  return { outputs: { deleted } };
};
