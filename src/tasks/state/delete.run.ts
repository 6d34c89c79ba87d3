/** state.Delete (deprecated): removes the named state; outputs `deleted`. */
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';
import { type StateProps, stateKey } from './shared.run.ts';

export const run: RunFunction<StateProps> = async (ctx, props) => {
  const deleted = await ctx.store.kvDelete(ctx.flow.namespace, stateKey(ctx, props));
  if (!deleted && props.errorOnMissing) {
    throw new TaskError(`Unable to find the state '${props.name || 'default'}'`, { retryable: false });
  }
  return { outputs: { deleted } };
};
