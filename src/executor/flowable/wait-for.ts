/**
 * WaitFor (LoopUntil in later Kestra versions): runs `tasks`, then checks, as Kestra's
 * `nextExecutionDate` / `resolveState` do, in this order:
 * 1. `checkFrequency.maxIterations` (default 100) or `maxDuration` (default PT1H) reached: the loop ends,
 *    FAILED with `failOnMaxReached`, else in the children's state (even when `condition` holds);
 * 2. `condition` truthy: it is the exit condition, the loop ends;
 * 3. otherwise wait `checkFrequency.interval` (default PT1S) and run the tasks again (new task runs with
 *    `iteration` = the 0-based iteration).
 * Output `iterationCount`: the current iteration, from 1 (Kestra's INITIAL_LOOP_VALUE); once the loop
 * ended, the number of iterations run. Durations and `maxIterations` are rendered (they are dynamic).
 */
import type { State, TaskRun } from '../../execution/types.ts';
import type { Task } from '../../flow/types.ts';
import { endTaskRun, errorMessage } from '../decide/lifecycle.ts';
import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { renderDuration } from '../durations.ts';
import { truthyString } from '../state.ts';
import type { Step } from '../step.ts';
import { enabled } from '../tasks.ts';
import { failWith, intProp, renderStr } from './common.ts';
import type { FlowableHandler } from './types.ts';

/** The current iteration, from 1. */
const iterationOf = (tr: TaskRun): number => Math.max(1, Number(tr.outputs?.iterationCount ?? 1));

const started = (step: Step, tr: TaskRun, index: number): boolean => {
  for (const c of step.idx.childrenOf(tr.id)) if (c.iteration === index && !c.branch) return true;
  return false;
};

const frequencyOf = (task: Task): Record<string, unknown> =>
  (task.checkFrequency ?? {}) as Record<string, unknown>;

interface Limits {
  maxIterations: number;
  maxDuration: number;
}

const limitsOf = (step: Step, tr: TaskRun, task: Task): Limits => {
  const freq = frequencyOf(task);
  const rawMax = freq.maxIterations;
  const maxIterations = intProp(typeof rawMax === 'string' ? renderStr(step, tr, task, rawMax) : rawMax, 100);
  const maxDuration =
    renderDuration(step, tr, task, freq.maxDuration, 'checkFrequency.maxDuration')?.ms ?? 3_600_000;
  return { maxIterations, maxDuration };
};

/** Decides what follows a finished iteration: end (with a state) or the next iteration after a wait. */
const afterIteration = (step: Step, tr: TaskRun, task: Task, iteration: number, state: State): void => {
  let limits: Limits;
  try {
    limits = limitsOf(step, tr, task);
  } catch (e) {
    failWith(step, tr, task, errorMessage(e));
    return;
  }
  const reachedIterations = iteration >= limits.maxIterations;
  if (reachedIterations || step.now - Date.parse(tr.state.startDate) > limits.maxDuration) {
    step.log('WARN', reachedIterations ? 'Max iterations reached' : 'Max duration reached', tr);
    endTaskRun(step, tr, task, task.failOnMaxReached ? 'FAILED' : state, false);
    return;
  }
  let exit: boolean;
  try {
    exit = truthyString(renderStr(step, tr, task, task.condition));
  } catch (e) {
    failWith(step, tr, task, `WaitFor condition could not be rendered: ${errorMessage(e)}`);
    return;
  }
  if (exit) {
    endTaskRun(step, tr, task, state);
    return;
  }
  let interval: number;
  try {
    interval =
      renderDuration(step, tr, task, frequencyOf(task).interval, 'checkFrequency.interval')?.ms ?? 1000;
  } catch (e) {
    failWith(step, tr, task, errorMessage(e));
    return;
  }
  // The next iteration's number is set now: its children do not exist yet, so the check timer (and
  // nothing else) starts them.
  step.put({ ...tr, outputs: { ...(tr.outputs ?? {}), iterationCount: iteration + 1 } });
  const at = step.now + interval;
  step.effect({
    kind: 'timer',
    at,
    event: { type: 'timer', timer: 'waitfor-check', taskRunId: tr.id, due: at },
  });
};

const run = (step: Step, tr: TaskRun, task: Task, force: boolean): void => {
  const iteration = iterationOf(tr);
  const index = iteration - 1;
  // Between two iterations: the check timer starts the next one.
  if (index > 0 && !force && !started(step, tr, index)) return;
  const spec = sequenceSpec(enabled(task.tasks), {
    errors: enabled(task.errors),
    finally: enabled(task.finally),
    filter: (c) => c.branch !== undefined || c.iteration === index,
    laneIteration: () => index,
  });
  const r = advanceScope(step, tr, spec);
  if (!r.done) return;
  const cur = step.get(tr.id)!;
  if (r.state === 'FAILED' || r.state === 'KILLED') {
    endTaskRun(step, cur, task, r.state);
    return;
  }
  afterIteration(step, cur, task, iteration, r.state);
};

export const waitFor: FlowableHandler = {
  start(step, tr) {
    step.put({ ...tr, outputs: { ...(tr.outputs ?? {}), iterationCount: 1 } });
  },
  advance(step, tr, task) {
    run(step, tr, task, false);
  },
  onTimer(step, tr, task, timer) {
    if (timer !== 'waitfor-check' || tr.state.current !== 'RUNNING') return;
    // A check delivered twice must not start an iteration that has begun already.
    run(step, tr, task, !started(step, tr, iterationOf(tr) - 1));
  },
};
