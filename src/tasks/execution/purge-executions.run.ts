/**
 * PurgeExecutions: deletes terminated-or-not executions of a namespace/flow started in the
 * [startDate, endDate] window (and in `states`), with their logs and internal-storage files.
 * Outputs `executionsCount`, `logsCount`, `storagesCount`.
 */
import { isTerminal, type State } from '../../execution/types.ts';
import type { RunFunction } from '../context.ts';

export const run: RunFunction<{
  namespace?: string;
  flowId?: string;
  startDate?: string;
  endDate: string;
  states?: State[];
  purgeExecution?: boolean;
  purgeLog?: boolean;
  purgeMetric?: boolean;
  purgeStorage?: boolean;
}> = async (ctx, props) => {
  const end = Date.parse(props.endDate);
  const found = await ctx.store.listExecutions({
    namespace: props.namespace || undefined,
    flowId: props.flowId || undefined,
    states: props.states?.length ? props.states : undefined,
    since: props.startDate ? new Date(props.startDate).toISOString() : undefined,
  });
  // Never purge the running execution itself nor one still running: their writes would resurrect rows.
  const targets = found.filter(
    (e) => e.id !== ctx.execution.id && isTerminal(e.state.current) && Date.parse(e.state.startDate) <= end,
  );
  let logsCount = 0;
  let storagesCount = 0;
  if (props.purgeLog ?? true) {
    for (const e of targets) logsCount += await ctx.store.deleteLogs({ executionId: e.id });
  }
  if (props.purgeStorage ?? true) {
    for (const e of targets)
      storagesCount += await ctx.storage.deleteExecutionFiles({
        namespace: e.namespace,
        flowId: e.flowId,
        executionId: e.id,
      });
  }
  const executionsCount =
    (props.purgeExecution ?? true) ? await ctx.store.deleteExecutions(targets.map((e) => e.id)) : 0;
  return { outputs: { executionsCount, logsCount, storagesCount } };
};
