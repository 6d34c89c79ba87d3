/** state.Set (deprecated): merges `data` into the named state; outputs `count` (entries after merge). */
import type { RunFunction } from '../context.ts';
import { type StateProps, stateKey } from './shared.run.ts';

export const run: RunFunction<StateProps & { data?: Record<string, unknown> }> = async (ctx, props) => {
  const key = stateKey(ctx, props);
  const current = (await ctx.store.kvGet(ctx.flow.namespace, key))?.value as
    | Record<string, unknown>
    | undefined;
  const merged = { ...(current ?? {}), ...(props.data ?? {}) };
  await ctx.store.kvSet(ctx.flow.namespace, key, merged);
  return { outputs: { count: Object.keys(merged).length, key } };
};
