/**
 * Internal-storage helpers for runnables: files of the current execution, named under the task run so
 * that two tasks writing `out.csv` do not collide.
 */
import type { Readable } from 'node:stream';
import { keySegments } from '../storage/uri.ts';
import type { TaskRunContext } from './context.ts';

/**
 * Saves `data` as a file of this task run; returns its `kestra:///` URI. `fileName` may hold folders
 * (`sub/x.csv`, from a script's outputFiles): each part becomes a path segment, checked by the storage.
 */
export const saveStorageFile = async (
  ctx: TaskRunContext,
  fileName: string,
  data: Buffer | Uint8Array | string | Readable,
): Promise<string> => {
  const key = {
    namespace: ctx.flow.namespace,
    flowId: ctx.flow.id,
    executionId: ctx.execution.id,
    taskId: ctx.task.id,
    taskRunId: ctx.taskRun.id,
    fileName: 'x',
  };
  const folder = keySegments(key).slice(0, -1);
  return ctx.storage.put([...folder, ...fileName.split('/').filter((p) => p !== '')], data);
};

/** Reads a `kestra:///` URI whole. */
export const readStorageFile = async (ctx: TaskRunContext, uri: string): Promise<Buffer> =>
  ctx.storage.get(uri);
