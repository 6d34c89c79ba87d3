/** Return: outputs its rendered `format` as `value` (a debugging aid). */
import type { RunFunction } from '../context.ts';

export const run: RunFunction<{ format?: unknown }> = async (ctx, props) => {
  const value = props.format === undefined || props.format === null ? undefined : String(props.format);
  ctx.logger.debug(`Return: ${value ?? ''}`);
  return { outputs: { value } };
};
