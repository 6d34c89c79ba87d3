/**
 * Popping from a Redis list, plainly (the ListPop task) or reliably (the triggers). Reliable: each
 * element is moved atomically (LMOVE) from the list's head to a processing list of the trigger, and
 * removed from there only once the execution it fed is stored. A process that dies in between leaves it
 * in the processing list; the trigger's next start moves such leftovers back to the head of the list,
 * so that they are popped again first. Nothing popped is lost; an element may start two executions
 * (at least once), never none.
 */
import type { Redis } from 'ioredis';
import { durationMs } from '../../util/duration.ts';

export interface PopLimits {
  count?: number;
  maxRecords?: number;
  maxDuration?: string;
}

/** The trigger's own processing list, beside the list it watches. */
export const processingKey = (key: string, owner: string): string => `${key}:baton-processing:${owner}`;

/**
 * Pops by `count` until the list is empty, `maxRecords` or `maxDuration`. With `processing`, moves
 * each element there instead of deleting it (see above).
 */
export const popBatch = async (
  r: Redis,
  key: string,
  processing: string | undefined,
  limits: PopLimits,
  signal?: AbortSignal,
): Promise<string[]> => {
  const batch = limits.count ?? 100;
  const maxMs = limits.maxDuration ? durationMs(limits.maxDuration) : undefined;
  const started = Date.now();
  const out: string[] = [];
  while (!signal?.aborted) {
    const want = limits.maxRecords ? Math.min(batch, limits.maxRecords - out.length) : batch;
    let got: string[];
    if (processing) {
      const pipeline = r.pipeline();
      for (let i = 0; i < want; i++) pipeline.lmove(key, processing, 'LEFT', 'LEFT');
      const answers = (await pipeline.exec()) ?? [];
      got = answers.map(([, v]) => v as string | null).filter((v): v is string => v !== null);
    } else got = (await r.lpop(key, want)) ?? [];
    out.push(...got);
    if (got.length < want) break;
    if (limits.maxRecords && out.length >= limits.maxRecords) break;
    if (maxMs !== undefined && Date.now() - started >= maxMs) break;
  }
  return out;
};

/** Moves what a crashed run left in `processing` back to the head of `key`, oldest first out. */
export const restoreLeftovers = async (r: Redis, key: string, processing: string): Promise<number> => {
  let moved = 0;
  // The processing list has the newest at its head: moving head to head puts the oldest back in front.
  while ((await r.lmove(processing, key, 'LEFT', 'LEFT')) !== null) moved++;
  return moved;
};
