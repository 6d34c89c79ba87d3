/** http.Request: outputs `code`, `headers` (name → values) and `body` (text). */
import type { RunFunction } from '../context.ts';
import { type HttpProps, send } from './client.run.ts';

export const run: RunFunction<HttpProps> = async (ctx, props) => {
  const res = await send(ctx, props);
  ctx.logger.debug(`Request ${props.method ?? 'GET'} ${props.uri} → ${res.code}`);
  return { outputs: { code: res.code, headers: res.headers, body: res.body.toString('utf8') } };
};
