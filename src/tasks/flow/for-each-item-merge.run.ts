/**
 * ForEachItem, step 3 of 3 (Kestra's `ForEachItem$ForEachItemMergeOutputs`, with `wait` true or false):
 * gathers the flow outputs of the subflow executions started by the `<id>_items` task run into one file,
 * a JSON object per line, and outputs its URI as `subflowOutputs`. Like Kestra, it has no outputs when
 * no child has flow outputs, and always so without `wait` (the children may still be running).
 */

import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';

export const run: RunFunction<{ namespace: string; flowId: string; wait?: boolean }> = async (ctx, props) => {
  if (props.wait === false) return {};
  const base = ctx.taskRun.taskId.replace(/_merge$/, '');
  const items = ctx.execution.taskRuns.find((t) => t.taskId === `${base}_items`);
  const children = (await ctx.store.listExecutions({ namespace: props.namespace, flowId: props.flowId }))
    .filter((e) => e.parentId === ctx.execution.id && (!items || e.parentTaskRunId === items.id))
    .sort((a, b) => iterationOf(a) - iterationOf(b));
  if (!children.some((e) => e.outputs && Object.keys(e.outputs).length > 0)) return {};
  const lines = children.map((e) => JSON.stringify(e.outputs ?? {}));
  const uri = await saveStorageFile(ctx, 'subflow-outputs.ion', `${lines.join('\n')}\n`);
  return { outputs: { subflowOutputs: uri } };
};

const iterationOf = (e: { trigger?: { variables: Record<string, unknown> } }): number =>
  Number(e.trigger?.variables.iteration ?? 0);
