/**
 * Canonical runnable type → its implementation module, loaded on first use: importing every task
 * implementation (HTTP, scripts, storage...) at start-up would slow down every `baton` command.
 */
import type { RunnableModule } from './context.ts';

export type RunnerLoader = () => Promise<RunnableModule>;

const CORE = 'io.kestra.plugin.core';
const SCRIPTS = 'io.kestra.plugin.scripts';

export const runners: Record<string, RunnerLoader> = {
  [`${CORE}.log.Log`]: () => import('./log/log.run.ts'),
  [`${CORE}.log.Fetch`]: () => import('./log/fetch.run.ts'),
  [`${CORE}.log.PurgeLogs`]: () => import('./log/purge-logs.run.ts'),
  [`${CORE}.debug.Return`]: () => import('./debug/return.run.ts'),
  [`${CORE}.debug.Echo`]: () => import('./debug/echo.run.ts'),
  [`${CORE}.output.OutputValues`]: () => import('./output/output-values.run.ts'),
  [`${CORE}.flow.Sleep`]: () => import('./flow/sleep.run.ts'),
  [`${CORE}.flow.PurgeFlows`]: () => import('./flow/purge-flows.run.ts'),
  [`${CORE}.flow.ForEachItem$ForEachItemSplit`]: () => import('./flow/for-each-item-split.run.ts'),
  [`${CORE}.flow.ForEachItem$ForEachItemMergeOutputs`]: () => import('./flow/for-each-item-merge.run.ts'),
  [`${CORE}.execution.Fail`]: () => import('./execution/fail.run.ts'),
  [`${CORE}.execution.Exit`]: () => import('./execution/exit.run.ts'),
  [`${CORE}.execution.Assert`]: () => import('./execution/assert.run.ts'),
  [`${CORE}.execution.Labels`]: () => import('./execution/labels.run.ts'),
  [`${CORE}.execution.Resume`]: () => import('./execution/resume.run.ts'),
  [`${CORE}.execution.Count`]: () => import('./execution/count.run.ts'),
  [`${CORE}.execution.PurgeExecutions`]: () => import('./execution/purge-executions.run.ts'),
  [`${CORE}.kv.Set`]: () => import('./kv/set.run.ts'),
  [`${CORE}.kv.Put`]: () => import('./kv/put.run.ts'),
  [`${CORE}.kv.Get`]: () => import('./kv/get.run.ts'),
  [`${CORE}.kv.GetKeys`]: () => import('./kv/get-keys.run.ts'),
  [`${CORE}.kv.Delete`]: () => import('./kv/delete.run.ts'),
  [`${CORE}.kv.PurgeKV`]: () => import('./kv/purge-kv.run.ts'),
  [`${CORE}.state.Set`]: () => import('./state/set.run.ts'),
  [`${CORE}.state.Get`]: () => import('./state/get.run.ts'),
  [`${CORE}.state.Delete`]: () => import('./state/delete.run.ts'),
  [`${CORE}.storage.Write`]: () => import('./storage/write.run.ts'),
  [`${CORE}.storage.Concat`]: () => import('./storage/concat.run.ts'),
  [`${CORE}.storage.Split`]: () => import('./storage/split.run.ts'),
  [`${CORE}.storage.Size`]: () => import('./storage/size.run.ts'),
  [`${CORE}.storage.Delete`]: () => import('./storage/delete.run.ts'),
  [`${CORE}.storage.PurgeCurrentExecutionFiles`]: () =>
    import('./storage/purge-current-execution-files.run.ts'),
  [`${CORE}.storage.LocalFiles`]: () => import('./storage/local-files.run.ts'),
  [`${CORE}.storage.DeduplicateItems`]: () => import('./storage/deduplicate-items.run.ts'),
  [`${CORE}.storage.FilterItems`]: () => import('./storage/filter-items.run.ts'),
  [`${CORE}.storage.Reverse`]: () => import('./storage/reverse.run.ts'),
  [`${CORE}.templating.TemplatedTask`]: () => import('./templating/templated-task.run.ts'),
  [`${CORE}.namespace.UploadFiles`]: () => import('./namespace/upload-files.run.ts'),
  [`${CORE}.namespace.DownloadFiles`]: () => import('./namespace/download-files.run.ts'),
  [`${CORE}.namespace.DeleteFiles`]: () => import('./namespace/delete-files.run.ts'),
  [`${CORE}.namespace.PurgeFiles`]: () => import('./namespace/purge-files.run.ts'),
  [`${CORE}.trigger.Toggle`]: () => import('./trigger/toggle.run.ts'),
  [`${CORE}.http.Request`]: () => import('./http/request.run.ts'),
  [`${CORE}.http.Download`]: () => import('./http/download.run.ts'),
  [`${CORE}.http.SseRequest`]: () => import('./http/sse-request.run.ts'),
  [`${SCRIPTS}.shell.Commands`]: () => import('./scripts/shell-commands.run.ts'),
  [`${SCRIPTS}.shell.Script`]: () => import('./scripts/shell-script.run.ts'),
  [`${SCRIPTS}.node.Commands`]: () => import('./scripts/node-commands.run.ts'),
  [`${SCRIPTS}.node.Script`]: () => import('./scripts/node-script.run.ts'),
  [`${SCRIPTS}.python.Commands`]: () => import('./scripts/python-commands.run.ts'),
  [`${SCRIPTS}.python.Script`]: () => import('./scripts/python-script.run.ts'),
  'io.kestra.plugin.nats.Produce': () => import('./nats/produce.run.ts'),
  'io.kestra.plugin.nats.Consume': () => import('./nats/consume.run.ts'),
  'io.kestra.plugin.redis.string.Set': () => import('./redis/set.run.ts'),
  'io.kestra.plugin.redis.string.Get': () => import('./redis/get.run.ts'),
  'io.kestra.plugin.redis.string.Delete': () => import('./redis/delete.run.ts'),
  'io.kestra.plugin.redis.list.ListPush': () => import('./redis/list-push.run.ts'),
  'io.kestra.plugin.redis.list.ListPop': () => import('./redis/list-pop.run.ts'),
  'io.kestra.plugin.redis.pubsub.Publish': () => import('./redis/publish.run.ts'),
};
