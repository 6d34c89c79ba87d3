/** state.Get (deprecated): outputs `data` of the named state and its `count`. */
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';
import { type StateProps, stateKey } from './shared.run.ts';

export const run: RunFunction<StateProps> = async (ctx, props) => {
  const entry = await ctx.store.kvGet(ctx.flow.namespace, stateKey(ctx, props));
  if (!entry && props.errorOnMissing) {
    throw new TaskError(`Unable to find the state '${props.name || 'default'}'`, { retryable: false });
  }
  const data = (entry?.value as Record<string, unknown> | undefined) ?? {};
  return { outputs: { data, count: Object.keys(data).length } };
};
