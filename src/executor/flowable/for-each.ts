/**
 * ForEach (and the legacy EachSequential / EachParallel): one iteration per value, children carry
 * `value` (the value as a string, JSON for objects) and `iteration` (its index).
 * ForEach: `concurrencyLimit` iterations at once (default 1, 0: no limit), each iteration's tasks in order.
 * EachSequential: one iteration at a time. EachParallel: every task of every value at once (`concurrent`).
 */
import { advanceScope, eachParallelSpec, loopSpec } from '../decide/scope.ts';
import { canonical, enabled, T } from '../tasks.ts';
import { failWith, finishScope, intProp } from './common.ts';
import { computeValues, loopValues, rememberValues } from './loop-values.ts';
import type { FlowableHandler } from './types.ts';

const rawValues = (task: { type: string; values?: unknown; value?: unknown }): unknown =>
  canonical(task.type) === T.forEach ? task.values : task.value;

export const forEach: FlowableHandler = {
  start(step, tr, task) {
    try {
      rememberValues(tr, computeValues(step, tr, task, rawValues(task)));
    } catch (e) {
      failWith(step, tr, task, e instanceof Error ? e.message : String(e));
    }
  },
  advance(step, tr, task) {
    let values: string[];
    try {
      values = loopValues(step, tr, task, rawValues(task));
    } catch (e) {
      failWith(step, tr, task, e instanceof Error ? e.message : String(e));
      return;
    }
    const tasks = enabled(task.tasks);
    const extra = { errors: enabled(task.errors), finally: enabled(task.finally) };
    const type = canonical(task.type);
    const spec =
      type === T.eachParallel
        ? eachParallelSpec(values, tasks, intProp(task.concurrent, 0), extra)
        : loopSpec(values, tasks, type === T.forEach ? intProp(task.concurrencyLimit, 1) : 1, extra);
    finishScope(step, tr, task, advanceScope(step, tr, spec));
  },
};
