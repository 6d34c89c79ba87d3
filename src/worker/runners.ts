/**
 * Canonical runnable type → its implementation module, loaded on first use: importing every task
 * implementation (HTTP, scripts, storage...) at start-up would slow down every `baton` command.
 */
import type { RunnableModule } from './types.ts';

export type RunnerLoader = () => Promise<RunnableModule>;

const CORE = 'io.kestra.plugin.core';
const SCRIPTS = 'io.kestra.plugin.scripts';

export const runners: Record<string, RunnerLoader> = {
  [`${CORE}.log.Log`]: () => import('../tasks/log/log.run.ts'),
  [`${CORE}.log.Fetch`]: () => import('../tasks/log/fetch.run.ts'),
  [`${CORE}.log.PurgeLogs`]: () => import('../tasks/log/purge-logs.run.ts'),
  [`${CORE}.debug.Return`]: () => import('../tasks/debug/return.run.ts'),
  [`${CORE}.debug.Echo`]: () => import('../tasks/debug/echo.run.ts'),
  [`${CORE}.output.OutputValues`]: () => import('../tasks/output/output-values.run.ts'),
  [`${CORE}.flow.Sleep`]: () => import('../tasks/flow/sleep.run.ts'),
  [`${CORE}.flow.PurgeFlows`]: () => import('../tasks/flow/purge-flows.run.ts'),
  [`${CORE}.flow.ForEachItem$ForEachItemSplit`]: () => import('../tasks/flow/for-each-item-split.run.ts'),
  [`${CORE}.flow.ForEachItem$ForEachItemMergeOutputs`]: () =>
    import('../tasks/flow/for-each-item-merge.run.ts'),
  [`${CORE}.execution.Fail`]: () => import('../tasks/execution/fail.run.ts'),
  [`${CORE}.execution.Exit`]: () => import('../tasks/execution/exit.run.ts'),
  [`${CORE}.execution.Assert`]: () => import('../tasks/execution/assert.run.ts'),
  [`${CORE}.execution.Labels`]: () => import('../tasks/execution/labels.run.ts'),
  [`${CORE}.execution.Resume`]: () => import('../tasks/execution/resume.run.ts'),
  [`${CORE}.execution.Count`]: () => import('../tasks/execution/count.run.ts'),
  [`${CORE}.execution.PurgeExecutions`]: () => import('../tasks/execution/purge-executions.run.ts'),
  [`${CORE}.kv.Set`]: () => import('../tasks/kv/set.run.ts'),
  [`${CORE}.kv.Put`]: () => import('../tasks/kv/put.run.ts'),
  [`${CORE}.kv.Get`]: () => import('../tasks/kv/get.run.ts'),
  [`${CORE}.kv.GetKeys`]: () => import('../tasks/kv/get-keys.run.ts'),
  [`${CORE}.kv.Delete`]: () => import('../tasks/kv/delete.run.ts'),
  [`${CORE}.kv.PurgeKV`]: () => import('../tasks/kv/purge-kv.run.ts'),
  [`${CORE}.state.Set`]: () => import('../tasks/state/set.run.ts'),
  [`${CORE}.state.Get`]: () => import('../tasks/state/get.run.ts'),
  [`${CORE}.state.Delete`]: () => import('../tasks/state/delete.run.ts'),
  [`${CORE}.storage.Write`]: () => import('../tasks/storage/write.run.ts'),
  [`${CORE}.storage.Concat`]: () => import('../tasks/storage/concat.run.ts'),
  [`${CORE}.storage.Split`]: () => import('../tasks/storage/split.run.ts'),
  [`${CORE}.storage.Size`]: () => import('../tasks/storage/size.run.ts'),
  [`${CORE}.storage.Delete`]: () => import('../tasks/storage/delete.run.ts'),
  [`${CORE}.storage.PurgeCurrentExecutionFiles`]: () =>
    import('../tasks/storage/purge-current-execution-files.run.ts'),
  [`${CORE}.storage.LocalFiles`]: () => import('../tasks/storage/local-files.run.ts'),
  [`${CORE}.storage.DeduplicateItems`]: () => import('../tasks/storage/deduplicate-items.run.ts'),
  [`${CORE}.storage.FilterItems`]: () => import('../tasks/storage/filter-items.run.ts'),
  [`${CORE}.storage.Reverse`]: () => import('../tasks/storage/reverse.run.ts'),
  [`${CORE}.templating.TemplatedTask`]: () => import('../tasks/templating/templated-task.run.ts'),
  [`${CORE}.namespace.UploadFiles`]: () => import('../tasks/namespace/upload-files.run.ts'),
  [`${CORE}.namespace.DownloadFiles`]: () => import('../tasks/namespace/download-files.run.ts'),
  [`${CORE}.namespace.DeleteFiles`]: () => import('../tasks/namespace/delete-files.run.ts'),
  [`${CORE}.namespace.PurgeFiles`]: () => import('../tasks/namespace/purge-files.run.ts'),
  [`${CORE}.trigger.Toggle`]: () => import('../tasks/trigger/toggle.run.ts'),
  [`${CORE}.http.Request`]: () => import('../tasks/http/request.run.ts'),
  [`${CORE}.http.Download`]: () => import('../tasks/http/download.run.ts'),
  [`${CORE}.http.SseRequest`]: () => import('../tasks/http/sse-request.run.ts'),
  [`${SCRIPTS}.shell.Commands`]: () => import('../tasks/scripts/shell-commands.run.ts'),
  [`${SCRIPTS}.shell.Script`]: () => import('../tasks/scripts/shell-script.run.ts'),
  [`${SCRIPTS}.node.Commands`]: () => import('../tasks/scripts/node-commands.run.ts'),
  [`${SCRIPTS}.node.Script`]: () => import('../tasks/scripts/node-script.run.ts'),
  [`${SCRIPTS}.python.Commands`]: () => import('../tasks/scripts/python-commands.run.ts'),
  [`${SCRIPTS}.python.Script`]: () => import('../tasks/scripts/python-script.run.ts'),
};
