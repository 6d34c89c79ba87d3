/**
 * Messages in and out of internal storage, in Kestra's format (Ion text, one value per line), so that
 * `read()`, ForEachItem and the storage tasks read what Consume/Subscribe write, and Publish accepts
 * the files they and other tasks write.
 */
import { fromIon, toIon } from '../../expression/ion.ts';
import type { TaskRunContext } from '../context.ts';
import { TaskError } from '../types.ts';

/** Publish's `from`: a `kestra://` file of rows, a JSON text of one row or a list, a list, or one value. */
export const readFrom = async (ctx: TaskRunContext, from: unknown): Promise<unknown[]> => {
  if (typeof from === 'string') {
    const text = from.trim();
    if (text.startsWith('kestra://')) {
      const content = (await ctx.storage.get(text)).toString('utf8');
      return fromIon(content, true) as unknown[];
    }
    if (text.startsWith('[') || text.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(text);
        return Array.isArray(parsed) ? parsed : [parsed];
      } catch {
        // Not JSON: a plain text message that happens to start with a bracket.
      }
    }
    return [from];
  }
  if (from === undefined || from === null)
    throw new TaskError('from: give a message, a list of messages or a kestra:// file', { retryable: false });
  return Array.isArray(from) ? from : [from];
};

/** Ion text of `rows`, one per line. */
export const ionLines = (rows: readonly unknown[]): string => rows.map((r) => `${toIon(r)}\n`).join('');
