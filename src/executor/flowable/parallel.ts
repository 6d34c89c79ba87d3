/** Parallel: every child at once, at most `concurrent` (0: no limit). */

import { advanceScope, parallelSpec } from '../decide/scope.ts';
import { enabled } from '../tasks.ts';
import { finishScope, intProp } from './common.ts';
import type { FlowableHandler } from './types.ts';

export const parallel: FlowableHandler = {
  advance(step, tr, task) {
    const spec = parallelSpec(enabled(task.tasks), intProp(task.concurrent, 0), {
      errors: enabled(task.errors),
      finally: enabled(task.finally),
    });
    finishScope(step, tr, task, advanceScope(step, tr, spec));
  },
};
