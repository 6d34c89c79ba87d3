/**
 * Internal-storage helpers for runnables: files of the current execution, named under the task run so
 * that two tasks writing `out.csv` do not collide.
 */
import type { TaskRunContext } from './types.ts';

/** Saves `data` as a file of this task run; returns its `kestra:///` URI. */
export const saveStorageFile = async (
  ctx: TaskRunContext,
  name: string,
  data: Buffer | string,
): Promise<string> =>
  ctx.storage.putTaskFile(
    {
      namespace: ctx.flow.namespace,
      flowId: ctx.flow.id,
      executionId: ctx.execution.id,
      taskId: ctx.task.id,
      taskRunId: ctx.taskRun.id,
    },
    name,
    data,
  );

/** Reads a `kestra:///` URI whole. */
export const readStorageFile = async (ctx: TaskRunContext, uri: string): Promise<Buffer> =>
  ctx.storage.get(uri);
