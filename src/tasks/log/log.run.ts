/** Log: writes one log entry per message, at `level` (default INFO). */
import type { LogLevel } from '../../execution/types.ts';
import type { RunFunction } from '../context.ts';

export const run: RunFunction<{ message: string | string[]; level?: LogLevel }> = async (ctx, props) => {
  const messages = Array.isArray(props.message) ? props.message : [props.message];
  for (const m of messages)
    ctx.logger.log(props.level ?? 'INFO', typeof m === 'string' ? m : JSON.stringify(m));
  return {};
};
