/**
 * ForEachItem, step 1 of 3 (Kestra's `ForEachItem$ForEachItemSplit`): splits the `items` file into
 * batches of `batch.rows` lines (or `batch.partitions` parts, or `batch.bytes`) in internal storage.
 * Outputs `splits`: the batch URIs, in order (Kestra stores them in a file and outputs its URI; the
 * executor reads them here without I/O). The executor then starts one subflow per batch.
 */
import type { RunFunction } from '../context.ts';
import { run as splitFile } from '../storage/split.run.ts';
import { TaskError } from '../types.ts';

interface Batch {
  rows?: number | string;
  bytes?: string;
  partitions?: number | string;
  separator?: string;
}

const num = (v: unknown): number | undefined =>
  v === undefined || v === null || v === '' ? undefined : Number(v);

export const run: RunFunction<{ items: string; batch?: Batch }> = async (ctx, props) => {
  if (typeof props.items !== 'string' || !props.items.startsWith('kestra:///')) {
    throw new TaskError(
      `ForEachItem: 'items' must be a kestra:/// file URI, got ${JSON.stringify(props.items)}`,
      {
        retryable: false,
      },
    );
  }
  const batch = props.batch ?? {};
  const partitions = num(batch.partitions);
  const rows =
    batch.bytes === undefined && partitions === undefined ? (num(batch.rows) ?? 1) : num(batch.rows);
  if (rows !== undefined && (!Number.isInteger(rows) || rows < 1)) {
    throw new TaskError(`ForEachItem: batch.rows must be a positive integer, got ${String(batch.rows)}`, {
      retryable: false,
    });
  }
  // Kestra files the batches under `<task id>-split`; keep its layout so URIs look the same.
  const splitCtx = { ...ctx, task: { ...ctx.task, id: ctx.task.id.replace(/_split$/, '-split') } };
  const result = await splitFile(splitCtx, {
    from: props.items,
    rows,
    partitions,
    bytes: batch.bytes,
    separator: batch.separator,
  });
  const splits = (result.outputs?.uris as string[] | undefined) ?? [];
  return { outputs: { splits } };
};
