/** Switch: `value` rendered as a string selects `cases[value]`, else `defaults`; neither → FAILED. */
import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { enabled } from '../tasks.ts';
import { failWith, finishScope, renderStr } from './common.ts';
import type { FlowableHandler } from './types.ts';

const cases = (task: Record<string, unknown>): Record<string, unknown> =>
  task.cases && typeof task.cases === 'object' ? (task.cases as Record<string, unknown>) : {};

export const switchHandler: FlowableHandler = {
  start(step, tr, task) {
    let value: string;
    try {
      value = renderStr(step, tr, task, task.value);
    } catch (e) {
      failWith(step, tr, task, `Switch value could not be rendered: ${e instanceof Error ? e.message : e}`);
      return;
    }
    const matched = Object.hasOwn(cases(task), value);
    if (!matched && enabled(task.defaults).length === 0 && !Array.isArray(task.defaults)) {
      step.put({ ...tr, outputs: { value, defaults: true } });
      failWith(
        step,
        step.get(tr.id)!,
        task,
        `Switch: no case matches value '${value}' and no defaults are defined`,
      );
      return;
    }
    step.put({ ...tr, outputs: { value, defaults: !matched } });
  },
  advance(step, tr, task) {
    const value = String(tr.outputs?.value ?? '');
    const tasks = tr.outputs?.defaults ? enabled(task.defaults) : enabled(cases(task)[value]);
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
