/**
 * PurgeLogs: deletes the logs between `startDate` and `endDate` (both inclusive, as Kestra's JDBC
 * repository), narrowed by namespace (exactly), flow, execution and levels; outputs `count`. It never
 * deletes more than asked: every criterion given must hold.
 */
import type { LogLevel } from '../../execution/types.ts';
import { parseZoned } from '../../triggers/dates.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

/** An ISO-8601 date-time (with its offset) as a UTC instant; a clear error otherwise. */
const instant = (name: string, value: string): string => {
  try {
    return new Date(parseZoned(value).epochMs).toISOString();
  } catch (err) {
    throw new TaskError(`PurgeLogs: ${name}: ${(err as Error).message}`, { retryable: false });
  }
};

/** An empty rendered string (e.g. `"{{ inputs.ns ?? '' }}"`) means "not given", as in Kestra. */
const given = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

export const run: RunFunction<{
  namespace?: string;
  flowId?: string;
  executionId?: string;
  logLevels?: LogLevel[];
  startDate?: string;
  endDate: string;
  purgeExecutionLogs?: boolean;
  purgeNonExecutionLogs?: boolean;
}> = async (ctx, props) => {
  const startDate = given(props.startDate);
  const endDate = instant('endDate', props.endDate);
  const filter = {
    namespace: given(props.namespace),
    flowId: given(props.flowId),
    executionId: given(props.executionId),
    levels: props.logLevels?.length ? props.logLevels : undefined,
    startDate: startDate === undefined ? undefined : instant('startDate', startDate),
    endDate,
  };
  // Every Baton log belongs to an execution (triggers do not log yet): there are no others to purge.
  const count = props.purgeExecutionLogs === false ? 0 : await ctx.store.deleteLogs(filter);
  ctx.logger.info(`purged ${count} log line(s)`);
  return { outputs: { count, executionLogsCount: count, nonExecutionLogsCount: 0 } };
};
