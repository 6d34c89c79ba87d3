/**
 * Resume: resumes a PAUSED execution, the current one unless `executionId` is set (Kestra). `namespace`
 * and `flowId`, when set, must match the target execution (explicit permission, as in Kestra).
 */

import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<{
  executionId?: string;
  namespace?: string;
  flowId?: string;
  inputs?: Record<string, unknown>;
}> = async (ctx, props) => {
  const targetId = props.executionId || ctx.execution.id;
  if (targetId !== ctx.execution.id) {
    const target = await ctx.store.getExecution(targetId);
    if (!target) throw new TaskError(`Resume: execution ${targetId} not found`, { retryable: false });
    if (props.namespace && target.namespace !== props.namespace) {
      throw new TaskError(`Resume: execution ${targetId} is not in namespace ${props.namespace}`, {
        retryable: false,
      });
    }
    if (props.flowId && target.flowId !== props.flowId) {
      throw new TaskError(`Resume: execution ${targetId} is not of flow ${props.flowId}`, {
        retryable: false,
      });
    }
    if (target.state.current !== 'PAUSED') {
      throw new TaskError(`Resume: execution ${targetId} is ${target.state.current}, not PAUSED`, {
        retryable: false,
      });
    }
  }
  await ctx.resumeExecution(targetId, props.inputs);
  ctx.logger.info(`Resumed execution ${targetId}`);
  return {};
};
