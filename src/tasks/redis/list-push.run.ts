/** redis.list.ListPush: LPUSH `from` (a list, a JSON array text, or a kestra:/// file of lines); `count`. */
import type { RunFunction } from '../context.ts';
import { readStorageFile } from '../files.ts';
import { type SerdeType, serialize, withRedis } from './client.ts';

/** Values per LPUSH: large lists go in several round trips, never one huge command. */
const BATCH = 500;

export const run: RunFunction<{ url: string; key: string; from: unknown; serdeType?: SerdeType }> = async (
  ctx,
  p,
) => {
  let values: unknown[];
  if (Array.isArray(p.from)) values = p.from;
  else if (typeof p.from === 'string' && p.from.startsWith('kestra://'))
    values = (await readStorageFile(ctx, p.from))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => (p.serdeType === 'JSON' ? JSON.parse(l) : l));
  else if (typeof p.from === 'string' && p.from.trim().startsWith('['))
    values = JSON.parse(p.from) as unknown[];
  else values = [p.from];
  const encoded = values.map((v) => serialize(v, p.serdeType));
  await withRedis(p.url, async (r) => {
    for (let i = 0; i < encoded.length; i += BATCH) await r.lpush(p.key, ...encoded.slice(i, i + BATCH));
  });
  ctx.metric('inserted.records.count', encoded.length, 'counter');
  return { outputs: { count: encoded.length } };
};
