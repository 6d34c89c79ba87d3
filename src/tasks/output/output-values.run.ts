/** OutputValues: exposes its rendered `values` map as `outputs.values`. */
import type { RunFunction } from '../context.ts';

export const run: RunFunction<{ values?: Record<string, unknown> }> = async (_ctx, props) => ({
  outputs: { values: props.values ?? {} },
});
