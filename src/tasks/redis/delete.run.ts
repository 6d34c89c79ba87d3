/** redis.string.Delete: DEL keys; output `count`; `failedOnMissing` fails when some did not exist. */
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';
import { withRedis } from './client.ts';

export const run: RunFunction<{ url: string; keys: string[]; failedOnMissing?: boolean }> = async (
  ctx,
  p,
) => {
  const count = p.keys.length === 0 ? 0 : await withRedis(p.url, (r) => r.del(...p.keys));
  if (p.failedOnMissing && count < p.keys.length)
    throw new TaskError(`Delete: ${p.keys.length - count} of the keys did not exist`, { retryable: false });
  ctx.metric('deleted.records.count', count, 'counter');
  return { outputs: { count } };
};
