/** kv.Get: outputs `value` of `key` in `namespace` (default: the flow's); missing → null or an error. */
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<{ key: string; namespace?: string; errorOnMissing?: boolean }> = async (
  ctx,
  props,
) => {
  const namespace = props.namespace || ctx.flow.namespace;
  const entry = await ctx.store.kvGet(namespace, props.key);
  if (!entry && props.errorOnMissing) {
    throw new TaskError(`No value found for key '${props.key}' in namespace '${namespace}'`, {
      retryable: false,
    });
  }
  return { outputs: { value: entry ? entry.value : null } };
};
