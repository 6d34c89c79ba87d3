/**
 * storage.FilterItems: renders `filterCondition` for each item of an Ion / JSON-lines file, the item's
 * fields added to the variables, and keeps (INCLUDE) or drops (EXCLUDE) the matching items, written as
 * they were. Outputs `uri`, `processedItemsTotal`, `droppedItemsTotal`.
 */
import { extname } from 'node:path';
import type { RunFunction } from '../context.ts';
import { readStorageFile, saveStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';
import { itemLines, parseIon } from './ion.ts';

/** Kestra's TruthUtils: these rendered texts are false, any other is true. */
const FALSE_TEXTS = new Set(['', 'false', '0', '-0']);

/** The item's fields as variables (an item that is no map is offered as `item`). */
export const itemVariables = (line: string): Record<string, unknown> => {
  const item = parseIon(line);
  return item && typeof item === 'object' && !Array.isArray(item)
    ? (item as Record<string, unknown>)
    : { item };
};

export const run: RunFunction<{
  from: string;
  filterCondition: string;
  filterType?: 'INCLUDE' | 'EXCLUDE';
  errorOrNullBehavior?: 'FAIL' | 'INCLUDE' | 'EXCLUDE';
}> = async (ctx, props) => {
  const lines = itemLines((await readStorageFile(ctx, props.from)).toString('utf8'));
  const kept: string[] = [];
  for (const line of lines) {
    let match: boolean | undefined;
    let error: unknown;
    try {
      const rendered = ctx.renderWith(props.filterCondition, itemVariables(line));
      if (rendered !== null && rendered !== undefined) match = !FALSE_TEXTS.has(String(rendered).trim());
    } catch (err) {
      error = err;
    }
    let action = props.filterType ?? 'INCLUDE';
    if (match === undefined) {
      const onError = props.errorOrNullBehavior ?? 'FAIL';
      if (onError === 'FAIL')
        throw new TaskError(
          error
            ? `FilterItems: ${(error as Error).message} on item ${line}`
            : `FilterItems: expression \`${props.filterCondition}\` returned null on item ${line}`,
          { retryable: false },
        );
      action = onError;
    } else if (!match) action = action === 'INCLUDE' ? 'EXCLUDE' : 'INCLUDE';
    if (action === 'INCLUDE') kept.push(line);
  }
  const uri = await saveStorageFile(
    ctx,
    `filtered${extname(props.from) || '.ion'}`,
    kept.map((l) => `${l}\n`).join(''),
  );
  return {
    outputs: { uri, processedItemsTotal: lines.length, droppedItemsTotal: lines.length - kept.length },
  };
};
