/**
 * Fail: fails the task run with `errorMessage` (default "Task failure"). With a `condition`, fails only
 * when the condition renders truthy, and succeeds otherwise.
 */
import { isTruthy } from '../../expression/index.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<{ condition?: unknown; errorMessage?: string }> = async (_ctx, props) => {
  if (props.condition !== undefined && props.condition !== null && !isTruthy(props.condition)) return {};
  // Retrying a deliberate failure gives the same result, but Kestra applies the retry policy: keep retryable.
  throw new TaskError(props.errorMessage ?? 'Task failure');
};
