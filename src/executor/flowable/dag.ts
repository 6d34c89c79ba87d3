/** Dag: `tasks: [{task, dependsOn}]`; a task starts once its dependencies succeeded (`concurrent` limit). */
import type { Task } from '../../flow/types.ts';
import { advanceScope, parallelSpec } from '../decide/scope.ts';
import { enabled } from '../tasks.ts';
import { finishScope, intProp } from './common.ts';
import type { FlowableHandler } from './types.ts';

interface DagItem {
  task: Task;
  dependsOn?: string[];
}

export const dag: FlowableHandler = {
  advance(step, tr, task) {
    const items = (Array.isArray(task.tasks) ? (task.tasks as DagItem[]) : []).filter(
      (i) => i?.task && i.task.disabled !== true,
    );
    const tasks = items.map((i) => i.task);
    const lane = new Map(tasks.map((t, i) => [t.id, i]));
    const deps = items.map((i) => (i.dependsOn ?? []).map((d) => lane.get(d)).filter((d) => d !== undefined));
    const spec = parallelSpec(tasks, intProp(task.concurrent, 0), {
      errors: enabled(task.errors),
      finally: enabled(task.finally),
      ready: (l, succeeded) => deps[l]!.every((d) => succeeded(d)),
    });
    finishScope(step, tr, task, advanceScope(step, tr, spec));
  },
};
