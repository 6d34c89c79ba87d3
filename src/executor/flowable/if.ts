/** If: `condition` rendered as a string with Kestra's truthiness picks `then` or `else`. */
import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { truthyString } from '../state.ts';
import { enabled } from '../tasks.ts';
import { failWith, finishScope, renderStr } from './common.ts';
import type { FlowableHandler } from './types.ts';

export const ifHandler: FlowableHandler = {
  advance(step, tr, task) {
    const thenTasks = enabled(task.then);
    const elseTasks = enabled(task.else);
    // The branch is decided once: when children exist they tell which one was taken.
    let branch: 'then' | 'else' | undefined;
    const thenIds = new Set(thenTasks.map((t) => t.id));
    const elseIds = new Set(elseTasks.map((t) => t.id));
    for (const c of step.idx.childrenOf(tr.id)) {
      if (c.branch) continue;
      if (thenIds.has(c.taskId)) branch = 'then';
      else if (elseIds.has(c.taskId)) branch = 'else';
      if (branch) break;
    }
    if (!branch) {
      try {
        branch = truthyString(renderStr(step, tr, task, task.condition)) ? 'then' : 'else';
      } catch (e) {
        failWith(step, tr, task, `If condition could not be rendered: ${e instanceof Error ? e.message : e}`);
        return;
      }
    }
    const tasks = branch === 'then' ? thenTasks : elseTasks;
    finishScope(
      step,
      tr,
      task,
      advanceScope(
        step,
        tr,
        sequenceSpec(tasks, { errors: enabled(task.errors), finally: enabled(task.finally) }),
      ),
    );
  },
};
