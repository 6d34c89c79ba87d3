/**
 * Count: counts executions per flow (`flows`, or one line per namespace in `namespaces`) that match
 * `states` and the `startDate`/`endDate` window; keeps the lines whose `expression` (rendered with the
 * variable `count`) is true. Outputs `results` ([{namespace, flowId, count}]) and `total` (their sum).
 */
import type { State } from '../../execution/types.ts';
import { isTruthy } from '../../expression/index.ts';
import type { ExecutionFilter } from '../../store/types.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

export const raw = ['expression'] as const;

interface Line {
  namespace: string;
  flowId?: string;
}

export const run: RunFunction<{
  flows?: Line[];
  namespaces?: string[];
  states?: State[];
  startDate?: string;
  endDate?: string;
  expression: string;
}> = async (ctx, props) => {
  const lines: Line[] = props.flows?.length
    ? props.flows
    : (props.namespaces ?? []).map((namespace) => ({ namespace }));
  if (lines.length === 0) throw new TaskError('Count: set `flows` or `namespaces`', { retryable: false });
  const end = props.endDate ? Date.parse(props.endDate) : undefined;
  const results: { namespace: string; flowId?: string; count: number }[] = [];
  for (const line of lines) {
    const filter: ExecutionFilter = {
      namespace: line.namespace,
      flowId: line.flowId,
      states: props.states?.length ? props.states : undefined,
      since: props.startDate ? new Date(props.startDate).toISOString() : undefined,
    };
    let count: number;
    if (end === undefined) count = await ctx.store.countExecutions(filter);
    else {
      const executions = await ctx.store.listExecutions(filter);
      count = executions.filter((e) => Date.parse(e.state.startDate) <= end).length;
    }
    if (isTruthy(await ctx.renderAsync(props.expression, { count }))) results.push({ ...line, count });
  }
  return { outputs: { results, total: results.reduce((sum, r) => sum + r.count, 0) } };
};
