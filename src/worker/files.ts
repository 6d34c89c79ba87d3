/**
 * Internal-storage helpers for runnables: files of the current execution, named under the task run so
 * that two tasks writing `out.csv` do not collide.
 */
import type { TaskRunContext } from './types.ts';

/** Saves `data` as a file of this task run; returns its `kestra:///` URI. */
export const saveStorageFile = async (
  ctx: TaskRunContext,
  fileName: string,
  data: Buffer | Uint8Array | string | NodeJS.ReadableStream,
): Promise<string> =>
  ctx.storage.put(
    {
      namespace: ctx.flow.namespace,
      flowId: ctx.flow.id,
      executionId: ctx.execution.id,
      taskId: ctx.task.id,
      taskRunId: ctx.taskRun.id,
      fileName,
    },
    data as Buffer,
  );

/** Reads a `kestra:///` URI whole. */
export const readStorageFile = async (ctx: TaskRunContext, uri: string): Promise<Buffer> =>
  ctx.storage.get(uri);
