/**
 * The deprecated State tasks keep their data in the KV store, under a reserved prefix so that they never
 * collide with user keys: `__baton_state__/<flowId>/<name>[/<taskrun value>]` in the flow's namespace
 * (`namespace: true` drops the flow id, sharing the state across the namespace as in Kestra).
 */
import type { TaskRunContext } from '../context.ts';

export const STATE_PREFIX = '__baton_state__';

export interface StateProps {
  name?: string;
  namespace?: boolean;
  taskrunValue?: boolean;
  errorOnMissing?: boolean;
}

export const stateKey = (ctx: TaskRunContext, props: StateProps): string => {
  const parts = [STATE_PREFIX, props.namespace ? '_namespace' : ctx.flow.id, props.name || 'default'];
  if ((props.taskrunValue ?? true) && ctx.taskRun.value !== undefined) parts.push(ctx.taskRun.value);
  return parts.join('/');
};
