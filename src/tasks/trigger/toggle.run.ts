/**
 * trigger.Toggle: turns a trigger of a flow (the current one by default) on or off, as Kestra does by
 * updating the trigger's stored state: the flow and the trigger must exist. The state lives with the
 * other trigger state (the store's trigger states): Flow-trigger evaluation and the scheduler honour it.
 */
import { parseFlow } from '../../flow/index.ts';
import { setTriggerDisabled } from '../../triggers/store-state.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<{
  namespace?: string;
  flowId?: string;
  trigger: string;
  enabled?: boolean;
}> = async (ctx, props) => {
  const namespace = props.namespace || ctx.flow.namespace;
  const flowId = props.flowId || ctx.flow.id;
  const stored = await ctx.store.getFlow(namespace, flowId);
  if (!stored || stored.deleted)
    throw new TaskError(`Unable to find flow ${namespace}.${flowId}: check its namespace and id`, {
      retryable: false,
    });
  const { flow } = parseFlow(stored.source, `${namespace}.${flowId}`);
  if (!flow?.triggers?.some((t) => t.id === props.trigger))
    throw new TaskError(
      `Unable to find trigger ${props.trigger} for the flow ${namespace}.${flowId}: check the trigger id`,
      { retryable: false },
    );
  const enabled = props.enabled ?? false;
  await setTriggerDisabled(ctx.store, { namespace, flowId, triggerId: props.trigger }, !enabled);
  ctx.logger.info(`trigger ${props.trigger} of ${namespace}.${flowId} ${enabled ? 'enabled' : 'disabled'}`);
  return { outputs: {} };
};
