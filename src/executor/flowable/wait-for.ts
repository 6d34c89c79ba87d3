/**
 * WaitFor (and LoopUntil): runs `tasks`, then evaluates `condition`; while it is truthy, waits
 * `checkFrequency.interval` (default PT1S) and runs the tasks again (new task runs with `iteration` =
 * the iteration number), until `maxIterations` (default 100) or `maxDuration` (default PT1H):
 * then SUCCESS, or FAILED with `failOnMaxReached`. Output `iterationCount`: finished iterations.
 */
import type { TaskRun } from '../../execution/types.ts';
import type { Task } from '../../flow/types.ts';
import { endTaskRun, errorMessage } from '../decide/lifecycle.ts';
import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { durationMs, truthyString } from '../state.ts';
import type { Step } from '../step.ts';
import { enabled } from '../tasks.ts';
import { intProp, renderStr } from './common.ts';
import type { FlowableHandler } from './types.ts';

const count = (tr: TaskRun): number => Number(tr.outputs?.iterationCount ?? 0);

const run = (step: Step, tr: TaskRun, task: Task, force: boolean): void => {
  const cur = count(tr);
  let started = false;
  for (const c of step.idx.childrenOf(tr.id)) if (c.iteration === cur && !c.branch) started = true;
  // Between two iterations: the check timer starts the next one.
  if (!started && cur > 0 && !force) return;
  const spec = sequenceSpec(enabled(task.tasks), {
    errors: enabled(task.errors),
    finally: enabled(task.finally),
    filter: (c) => c.branch !== undefined || c.iteration === cur,
    laneIteration: () => cur,
  });
  const r = advanceScope(step, tr, spec);
  if (!r.done) return;
  if (r.state === 'FAILED' || r.state === 'KILLED') {
    endTaskRun(step, step.get(tr.id)!, task, r.state);
    return;
  }
  let again: boolean;
  try {
    again = truthyString(renderStr(step, tr, task, task.condition));
  } catch (e) {
    step.log('ERROR', `WaitFor condition could not be rendered: ${errorMessage(e)}`, tr);
    endTaskRun(step, step.get(tr.id)!, task, 'FAILED', false);
    return;
  }
  const done = cur + 1;
  const latest = step.put({ ...step.get(tr.id)!, outputs: { ...(tr.outputs ?? {}), iterationCount: done } });
  if (!again) {
    endTaskRun(step, latest, task, r.state);
    return;
  }
  const freq = (task.checkFrequency ?? {}) as Record<string, unknown>;
  const maxIterations = intProp(freq.maxIterations, 100);
  const maxDuration = durationMs(freq.maxDuration) ?? 3_600_000;
  const since = Date.parse(tr.state.startDate);
  if (done >= maxIterations || step.now - since >= maxDuration) {
    step.log('WARN', `WaitFor '${task.id}' reached its limit after ${done} iterations`, tr);
    endTaskRun(step, latest, task, task.failOnMaxReached ? 'FAILED' : r.state, false);
    return;
  }
  const interval = durationMs(freq.interval) ?? 1000;
  const at = step.now + interval;
  step.effect({
    kind: 'timer',
    at,
    event: { type: 'timer', timer: 'waitfor-check', taskRunId: tr.id, due: at },
  });
};

export const waitFor: FlowableHandler = {
  start(step, tr) {
    step.put({ ...tr, outputs: { ...(tr.outputs ?? {}), iterationCount: 0 } });
  },
  advance(step, tr, task) {
    run(step, tr, task, false);
  },
  onTimer(step, tr, task, timer) {
    if (timer === 'waitfor-check' && tr.state.current === 'RUNNING') run(step, tr, task, true);
  },
};
