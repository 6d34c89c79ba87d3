/**
 * log.Fetch: writes the logs of an execution (the current one by default) at or above `level`,
 * optionally of some task ids, to an internal-storage file, one JSON object per line (JSON is valid Ion,
 * Kestra's format). Outputs `size` (number of log lines) and `uri`.
 */
import type { LogLevel } from '../../execution/types.ts';
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';

export const run: RunFunction<{
  namespace?: string;
  flowId?: string;
  executionId?: string;
  tasksId?: string[];
  level?: LogLevel;
}> = async (ctx, props) => {
  const executionId = props.executionId || ctx.execution.id;
  const logs = await ctx.store.queryLogs({ executionId, minLevel: props.level ?? 'INFO' });
  const kept = props.tasksId?.length
    ? logs.filter((l) => l.taskId && props.tasksId!.includes(l.taskId))
    : logs;
  const lines = kept.map(({ seq: _seq, ...entry }) => `${JSON.stringify(entry)}\n`).join('');
  const uri = await saveStorageFile(ctx, `logs-${executionId}.ion`, lines);
  return { outputs: { size: kept.length, uri } };
};
