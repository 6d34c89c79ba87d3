/** Sequential (and WorkingDirectory: same order, children share a working folder, see dispatch). */

import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { enabled } from '../tasks.ts';
import { finishScope } from './common.ts';
import type { FlowableHandler } from './types.ts';

export const sequential: FlowableHandler = {
  advance(step, tr, task) {
    const r = advanceScope(
      step,
      tr,
      sequenceSpec(enabled(task.tasks), { errors: enabled(task.errors), finally: enabled(task.finally) }),
    );
    finishScope(step, tr, task, r);
  },
};
