/** redis.string.Set: SET key value [NX|XX] [EX|PXAT|KEEPTTL] [GET]; output `oldValue` with `get`. */
import { durationMs } from '../../util/duration.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';
import { deserialize, type SerdeType, serialize, withRedis } from './client.ts';

interface Options {
  expirationDate?: string;
  expirationDuration?: string;
  keepTtl?: boolean;
  mustExist?: boolean;
  mustNotExist?: boolean;
}

export const run: RunFunction<{
  url: string;
  key: string;
  value: unknown;
  serdeType?: SerdeType;
  get?: boolean;
  options?: Options;
}> = async (_ctx, p) => {
  const o = p.options ?? {};
  const args: (string | number)[] = [p.key, serialize(p.value, p.serdeType)];
  if (o.mustExist) args.push('XX');
  if (o.mustNotExist) args.push('NX');
  if (o.expirationDuration) {
    const ms = durationMs(o.expirationDuration);
    if (!ms)
      throw new TaskError(`Set: invalid expirationDuration '${o.expirationDuration}'`, { retryable: false });
    args.push('PX', ms);
  } else if (o.expirationDate) args.push('PXAT', Date.parse(o.expirationDate));
  else if (o.keepTtl) args.push('KEEPTTL');
  if (p.get) args.push('GET');
  const answer = await withRedis(p.url, (r) => r.call('SET', ...args) as Promise<string | null>);
  return { outputs: p.get ? { oldValue: deserialize(answer, p.serdeType) } : {} };
};
