/** redis.pubsub.Publish: PUBLISH each value of `from` to `channel`; output `count`. */
import type { RunFunction } from '../context.ts';
import { readStorageFile } from '../files.ts';
import { type SerdeType, serialize, withRedis } from './client.ts';

export const run: RunFunction<{
  url: string;
  channel: string;
  from: unknown;
  serdeType?: SerdeType;
}> = async (ctx, p) => {
  let values: unknown[];
  if (Array.isArray(p.from)) values = p.from;
  else if (typeof p.from === 'string' && p.from.startsWith('kestra://'))
    values = (await readStorageFile(ctx, p.from))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
  else values = [p.from];
  await withRedis(p.url, async (r) => {
    for (const v of values) await r.publish(p.channel, serialize(v, p.serdeType));
  });
  ctx.metric('published.records.count', values.length, 'counter');
  return { outputs: { count: values.length } };
};
