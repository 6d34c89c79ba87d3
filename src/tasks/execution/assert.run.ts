/**
 * Assert: every condition must render truthy. Conditions are rendered here (not by the worker) so that a
 * failure can name the condition as written.
 */
import { isTruthy } from '../../expression/index.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

export const raw = ['conditions'] as const;

export const run: RunFunction<{ conditions: unknown; errorMessage?: string }> = async (ctx, props) => {
  const conditions = Array.isArray(props.conditions) ? props.conditions : [props.conditions];
  const failed: string[] = [];
  for (const condition of conditions) {
    const value = typeof condition === 'string' ? await ctx.renderAsync(condition) : condition;
    if (!isTruthy(value)) {
      failed.push(String(condition));
      ctx.logger.error(`Assertion \`${String(condition)}\` failed!`);
    }
  }
  if (failed.length === 0) return {};
  const message = props.errorMessage ? String(await ctx.renderAsync(props.errorMessage)) : undefined;
  throw new TaskError(message ?? `${failed.length} assertion(s) failed: ${failed.join(', ')}`, {
    retryable: false,
  });
};
