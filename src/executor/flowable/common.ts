/** Helpers shared by flowable handlers. */
import type { State, TaskRun } from '../../execution/types.ts';
import { renderString, renderValue } from '../../expression/index.ts';
import type { Task } from '../../flow/types.ts';
import { endTaskRun } from '../decide/lifecycle.ts';
import type { ScopeResult } from '../decide/scope.ts';
import type { Step } from '../step.ts';

/** Ends the task run when its scope is done; `map` adjusts the state (AllowFailure). */
export const finishScope = (
  step: Step,
  tr: TaskRun,
  task: Task,
  r: ScopeResult,
  map?: (s: State) => State,
): void => {
  if (!r.done) return;
  endTaskRun(step, step.get(tr.id) ?? tr, task, map ? map(r.state) : r.state);
};

export const render = (step: Step, tr: TaskRun, task: Task, value: unknown): unknown =>
  renderValue(value, step.context(tr, task), step.renderOptions);

export const renderStr = (step: Step, tr: TaskRun, task: Task, value: unknown): string =>
  typeof value === 'string'
    ? renderString(value, step.context(tr, task), step.renderOptions)
    : String(value ?? '');

/** Fails a flowable task run with a logged reason (no retry: the configuration is at fault). */
export const failWith = (step: Step, tr: TaskRun, task: Task, message: string): void => {
  step.log('ERROR', message, tr);
  endTaskRun(step, step.get(tr.id) ?? tr, task, 'FAILED', false);
};

export const intProp = (v: unknown, fallback: number): number => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : fallback;
};
