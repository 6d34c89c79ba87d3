/** redis.list.ListPop: LPOP by `count` until empty, `maxRecords` or `maxDuration`; file `uri` and `count`. */
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { deserialize, type SerdeType, withRedis } from './client.ts';
import { popBatch } from './list.ts';

export const run: RunFunction<{
  url: string;
  key: string;
  serdeType?: SerdeType;
  count?: number;
  maxRecords?: number;
  maxDuration?: string;
}> = async (ctx, p) => {
  const raw = await withRedis(p.url, (r) => popBatch(r, p.key, undefined, p, ctx.signal));
  const values = raw.map((v) => deserialize(v, p.serdeType));
  const uri = await saveStorageFile(
    ctx,
    `${ctx.task.id}.ion`,
    values.map((v) => `${JSON.stringify(v)}\n`).join(''),
  );
  ctx.metric('popped.records.count', values.length, 'counter');
  return { outputs: { uri, count: values.length } };
};
