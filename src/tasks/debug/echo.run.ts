/** Echo (deprecated in Kestra, use Log): logs its rendered `format` at `level` (default INFO). */
import type { LogLevel } from '../../execution/types.ts';
import type { RunFunction } from '../context.ts';

export const run: RunFunction<{ format?: unknown; level?: LogLevel }> = async (ctx, props) => {
  ctx.logger.log(props.level ?? 'INFO', String(props.format ?? ''));
  return {};
};
