/**
 * Pause: the task run (and the execution) go PAUSED. When `pauseDuration` (old name `delay`) has passed,
 * `behavior` applies, as in Kestra's Pause: RESUME (default) goes on, WARN ends the pause WARNING and goes
 * on, FAIL ends it FAILED, CANCEL ends it (and so the execution) CANCELLED. A pause resumed before that
 * (a `resume` event) always succeeds. `timeout` is the task timeout: reached first, it fails the pause.
 * `onResume` inputs become its outputs (`onResume.<id>`, with defaults). Legacy `tasks` run once it is
 * resumed (with them, WARN resumes like RESUME).
 */
import type { TaskRun } from '../../execution/types.ts';
import type { Task } from '../../flow/types.ts';
import { exitExecution } from '../decide/events.ts';
import { endTaskRun } from '../decide/lifecycle.ts';
import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { durationText, renderDuration } from '../durations.ts';
import type { Step } from '../step.ts';
import { enabled } from '../tasks.ts';
import { finishScope, renderStr } from './common.ts';
import type { FlowableHandler } from './types.ts';

interface ResumeInput {
  id: string;
  defaults?: unknown;
}

/** The execution runs again once no task run is paused any more. */
export const unpauseExecution = (step: Step): void => {
  if (step.exec.state.current !== 'PAUSED') return;
  for (const id of step.idx.activeFlowables) if (step.get(id)?.state.current === 'PAUSED') return;
  step.setExecState('RUNNING');
};

const resumeRun = (
  step: Step,
  tr: TaskRun,
  task: Task,
  inputs: Record<string, unknown> | undefined,
): void => {
  const defs = Array.isArray(task.onResume) ? (task.onResume as ResumeInput[]) : [];
  let outputs = tr.outputs;
  if (defs.length > 0 || inputs) {
    const onResume: Record<string, unknown> = {};
    for (const d of defs) {
      const v = inputs?.[d.id] ?? d.defaults;
      if (v !== undefined && v !== null) onResume[d.id] = v;
    }
    if (defs.length === 0) Object.assign(onResume, inputs);
    outputs = { ...(tr.outputs ?? {}), onResume };
  }
  step.setState(tr, 'RUNNING', outputs ? { outputs } : {});
};

export const pause: FlowableHandler = {
  start(step, tr, task) {
    // Rendered first: an invalid value throws, and the task run fails with that message (see startFlowable).
    const delayName = task.delay !== undefined ? 'delay' : 'pauseDuration';
    const delay = renderDuration(step, tr, task, task.delay ?? task.pauseDuration, delayName)?.ms;
    const timeout = renderDuration(step, tr, task, task.timeout, 'timeout')?.ms;
    step.setState(tr, 'PAUSED');
    if (step.exec.state.current === 'RUNNING') step.setExecState('PAUSED');
    if (delay !== undefined) {
      const at = step.now + delay;
      step.effect({
        kind: 'timer',
        at,
        event: { type: 'timer', timer: 'pause-delay', taskRunId: tr.id, due: at },
      });
    }
    // Both may be set: whichever comes first decides (the other timer finds the pause over).
    if (timeout !== undefined) {
      const at = step.now + timeout;
      step.effect({
        kind: 'timer',
        at,
        event: { type: 'timer', timer: 'pause-timeout', taskRunId: tr.id, due: at },
      });
    }
  },
  advance(step, tr, task) {
    const spec = sequenceSpec(enabled(task.tasks), {
      errors: enabled(task.errors),
      finally: enabled(task.finally),
    });
    finishScope(step, tr, task, advanceScope(step, tr, spec));
  },
  onTimer(step, tr, task, timer) {
    if (tr.state.current !== 'PAUSED') return;
    if (timer === 'pause-delay') {
      const behavior = renderStr(step, tr, task, task.behavior ?? 'RESUME').toUpperCase();
      const hasTasks = enabled(task.tasks).length > 0;
      if (behavior === 'RESUME' || (behavior === 'WARN' && hasTasks)) resumeRun(step, tr, task, undefined);
      else {
        const state = behavior === 'WARN' ? 'WARNING' : behavior === 'CANCEL' ? 'CANCELLED' : 'FAILED';
        if (state !== 'WARNING')
          step.log('WARN', `Pause '${task.id}' ended ${state} by its behavior ${behavior}`, tr);
        endTaskRun(step, tr, task, state, false);
        // CANCEL cancels the execution itself, not only the pause.
        if (state === 'CANCELLED') exitExecution(step, step.get(tr.id)!, 'CANCELLED');
      }
    } else if (timer === 'pause-timeout') {
      step.log(
        'WARN',
        `Pause '${task.id}' timed out after ${durationText(step, tr, task, task.timeout)}`,
        tr,
      );
      endTaskRun(step, tr, task, 'FAILED', false);
    }
    unpauseExecution(step);
  },
  onResume(step, tr, task, inputs) {
    resumeRun(step, tr, task, inputs);
  },
};
