/** redis.string.Get: outputs `data` (deserialised) and `key`; `failedOnMissing` fails on a missing key. */
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';
import { deserialize, type SerdeType, withRedis } from './client.ts';

export const run: RunFunction<{
  url: string;
  key: string;
  serdeType?: SerdeType;
  failedOnMissing?: boolean;
}> = async (_ctx, p) => {
  const text = await withRedis(p.url, (r) => r.get(p.key));
  if (text === null && p.failedOnMissing)
    throw new TaskError(`Get: the key '${p.key}' does not exist`, { retryable: false });
  return { outputs: { key: p.key, data: deserialize(text, p.serdeType) } };
};
