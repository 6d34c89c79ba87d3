/**
 * storage.DeduplicateItems: renders `expr` for each item of an Ion / JSON-lines file (the item's fields
 * added to the variables) and keeps the last item of each key, where that item stood. Outputs `uri`,
 * `numKeys`, `processedItemsTotal`, `droppedItemsTotal`.
 */
import { extname } from 'node:path';
import type { RunFunction } from '../context.ts';
import { readStorageFile, saveStorageFile } from '../files.ts';
import { itemVariables } from './filter-items.run.ts';
import { itemLines } from './ion.ts';

/** `expr` is rendered per item, with the item's fields: not up front by the worker. */
export const raw = ['expr'] as const;

export const run: RunFunction<{ from: string; expr: string }> = async (ctx, props) => {
  const lines = itemLines((await readStorageFile(ctx, props.from)).toString('utf8'));
  const lastIndex = new Map<string, number>();
  const keys = lines.map((line, i) => {
    const key = String(ctx.renderWith(props.expr, itemVariables(line)));
    lastIndex.set(key, i);
    return key;
  });
  const kept = lines.filter((_, i) => lastIndex.get(keys[i]!) === i);
  const uri = await saveStorageFile(
    ctx,
    `deduplicated${extname(props.from) || '.ion'}`,
    kept.map((l) => `${l}\n`).join(''),
  );
  return {
    outputs: {
      uri,
      numKeys: lastIndex.size,
      processedItemsTotal: lines.length,
      droppedItemsTotal: lines.length - kept.length,
    },
  };
};
