/** Exit: ends the whole execution at once in `state` (default SUCCESS); applied by the executor. */

import type { RunFunction } from '../context.ts';
import type { TaskEffect } from '../types.ts';

type ExitState = Extract<TaskEffect, { kind: 'exit' }>['state'];

export const run: RunFunction<{ state?: string }> = async (_ctx, props) => {
  const raw = (props.state ?? 'SUCCESS').toUpperCase();
  const state = (raw === 'CANCELED' ? 'CANCELLED' : raw) as ExitState;
  return { effects: [{ kind: 'exit', state }] };
};
