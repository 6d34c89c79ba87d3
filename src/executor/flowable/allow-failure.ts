/** AllowFailure: a sequence whose failure ends as WARNING (its local errors still run). */

import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { enabled } from '../tasks.ts';
import { finishScope } from './common.ts';
import type { FlowableHandler } from './types.ts';

export const allowFailure: FlowableHandler = {
  advance(step, tr, task) {
    const r = advanceScope(
      step,
      tr,
      sequenceSpec(enabled(task.tasks), { errors: enabled(task.errors), finally: enabled(task.finally) }),
    );
    finishScope(step, tr, task, r, (s) => (s === 'FAILED' ? 'WARNING' : s));
  },
};
