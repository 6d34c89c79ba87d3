/** kv.GetKeys: outputs `keys`, the keys of `namespace` (default: the flow's) starting with `prefix`. */
import type { RunFunction } from '../context.ts';

export const run: RunFunction<{ prefix?: string; namespace?: string }> = async (ctx, props) => {
  const entries = await ctx.store.kvList(props.namespace || ctx.flow.namespace, props.prefix || undefined);
  return { outputs: { keys: entries.map((e) => e.key) } };
};
