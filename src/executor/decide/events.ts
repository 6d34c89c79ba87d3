/** Applies one event to the working execution (state changes only; resolution happens afterwards). */
import type { State, TaskRun } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import type { TaskEffect } from '../../tasks/types.ts';
import { durationText } from '../durations.ts';
import { handlerFor } from '../flowable/registry.ts';
import { append, durationMs, newStateHistory, withState } from '../state.ts';
import type { Step } from '../step.ts';
import { isExecutorTask } from '../tasks.ts';
import type { ExecutorEvent } from '../types.ts';
import { dispatch, endTaskRun, errorMessage, resetDescendants } from './lifecycle.ts';
import { mergeLabels, toLabels } from './root.ts';

export const applyEvent = (step: Step, e: ExecutorEvent): void => {
  switch (e.type) {
    case 'start':
      start(step);
      return;
    case 'queue':
      if (step.exec.state.current === 'CREATED') step.setExecState('QUEUED');
      return;
    case 'reject':
      if (!isTerminal(step.exec.state.current)) {
        step.exec = { ...step.exec, error: e.reason };
        step.setExecState(e.state);
      }
      return;
    case 'task-started':
      taskStarted(step, e);
      return;
    case 'task-result':
      taskResult(step, e);
      return;
    case 'timer':
      timer(step, e);
      return;
    case 'kill':
      kill(step);
      return;
    case 'pause':
      if (step.exec.state.current === 'RUNNING') step.setExecState('PAUSED');
      return;
    case 'resume':
      resume(step, e.inputs);
      return;
    case 'subflow-update': {
      step.rememberSecrets(e.secrets);
      const tr = step.get(e.taskRunId);
      const task = tr && step.task(tr);
      if (!tr || !task) return;
      handlerFor(task)?.onSubflowUpdate?.(step, tr, task, e);
      return;
    }
    case 'set-task-run-state':
      setTaskRunState(step, e.taskRunId, e.state);
      return;
    case 'restart':
      restart(step);
      return;
  }
};

const start = (step: Step): void => {
  const s = step.exec.state.current;
  if (s !== 'CREATED' && s !== 'QUEUED') return;
  step.setExecState('RUNNING');
  for (const sla of step.flow.sla ?? []) {
    if (sla.type !== 'MAX_DURATION') continue;
    const ms = durationMs(sla.duration);
    if (ms === undefined) continue;
    const at = step.now + ms;
    step.effect({ kind: 'timer', at, event: { type: 'timer', timer: 'sla-max-duration', due: at } });
  }
};

const taskStarted = (step: Step, e: Extract<ExecutorEvent, { type: 'task-started' }>): void => {
  const tr = step.get(e.taskRunId);
  if (!tr || isTerminal(tr.state.current) || tr.attempts.length >= e.attempt) return;
  const attempt = { state: newStateHistory('RUNNING', step.now), workerId: e.workerId };
  // A job delivered again (its worker died, its lease ran out) starts a new attempt: the lost one failed.
  const previous = tr.attempts.map((a) =>
    a.state.current === 'RUNNING' ? { ...a, state: withState(a.state, 'FAILED', step.now) } : a,
  );
  step.setState(tr, 'RUNNING', { attempts: append(previous, attempt) });
};

const taskResult = (step: Step, e: Extract<ExecutorEvent, { type: 'task-result' }>): void => {
  // Even from a result that comes too late: its logs were masked with them, later ones must be too.
  step.rememberSecrets(e.secrets);
  let tr = step.get(e.taskRunId);
  if (!tr || isTerminal(tr.state.current)) return;
  // A result without its start (lost message): open the attempt it ends.
  if (tr.attempts.length < e.attempt) {
    const attempt = { state: newStateHistory('RUNNING', step.now) };
    tr = step.setState(tr, 'RUNNING', { attempts: append(tr.attempts, attempt) });
  } else if (tr.attempts.length > e.attempt) return;
  if (e.outputs) tr = step.put({ ...tr, outputs: e.outputs });
  const task = step.task(tr);
  endTaskRun(step, tr, task, e.state, e.retryable !== false);
  for (const effect of e.effects ?? []) applyTaskEffect(step, step.get(tr.id)!, effect);
};

const applyTaskEffect = (step: Step, tr: TaskRun, effect: TaskEffect): void => {
  if (effect.kind === 'labels') {
    step.exec = { ...step.exec, labels: mergeLabels(step.exec.labels, toLabels(effect.labels)) };
    return;
  }
  // Exit: the execution ends with that state; what still runs is killed, enclosing flowables take it.
  const ancestors = new Set(step.idx.ancestors(tr).map((a) => a.id));
  for (const other of [...step.idx.runs]) {
    if (isTerminal(other.state.current) || other.id === tr.id) continue;
    if (ancestors.has(other.id)) {
      step.setState(other, effect.state);
      continue;
    }
    stopTaskRun(step, other);
  }
  step.setExecState(effect.state);
};

/** Ends the execution in `state` from task run `tr` (an Exit task, a Pause with behavior CANCEL). */
export const exitExecution = (
  step: Step,
  tr: TaskRun,
  state: Extract<TaskEffect, { kind: 'exit' }>['state'],
): void => applyTaskEffect(step, tr, { kind: 'exit', state });

/** Kills a task run that has not ended: cancels its job, kills its subflow execution. */
const stopTaskRun = (step: Step, tr: TaskRun): void => {
  const task = step.task(tr);
  const executor = task ? isExecutorTask(task) : false;
  if (!executor) {
    if (tr.state.current === 'RUNNING' || tr.state.current === 'CREATED')
      step.effect({ kind: 'cancel-job', taskRunId: tr.id });
    step.setState(tr, 'KILLED');
    return;
  }
  const child = tr.outputs?.executionId;
  if (typeof child === 'string') step.effect({ kind: 'kill-execution', executionId: child });
  step.setState(tr, 'KILLED');
};

const kill = (step: Step): void => {
  const s = step.exec.state.current;
  if (isTerminal(s) || s === 'KILLING') return;
  if (s === 'CREATED' || s === 'QUEUED') {
    step.setExecState('KILLED');
    return;
  }
  step.setExecState('KILLING');
  for (const tr of [...step.idx.runs]) {
    if (isTerminal(tr.state.current)) continue;
    const task = step.task(tr);
    const executor = task ? isExecutorTask(task) : false;
    if (!executor) {
      // A running job ends when its worker reports KILLED; one not yet taken is dropped now.
      step.effect({ kind: 'cancel-job', taskRunId: tr.id });
      if (tr.state.current !== 'RUNNING') step.setState(tr, 'KILLED');
    } else if (tr.state.current !== 'RUNNING' || typeof tr.outputs?.executionId === 'string') {
      // Paused, retrying or waiting on a subflow: nothing to wait for.
      const child = tr.outputs?.executionId;
      if (typeof child === 'string' && task && handlerFor(task)?.onSubflowUpdate)
        step.effect({ kind: 'kill-execution', executionId: child });
      step.setState(tr, 'KILLED');
    }
  }
};

const timer = (step: Step, e: Extract<ExecutorEvent, { type: 'timer' }>): void => {
  if (e.timer === 'sla-max-duration') {
    slaMaxDuration(step);
    return;
  }
  if (e.timer === 'flow-retry') return;
  const tr = e.taskRunId ? step.get(e.taskRunId) : undefined;
  const task = tr && step.task(tr);
  if (!tr || !task || isTerminal(tr.state.current)) return;
  if (e.timer === 'retry') {
    if (tr.state.current !== 'RETRYING' || step.exec.state.current === 'KILLING') return;
    if (isExecutorTask(task)) {
      resetDescendants(step, tr);
      step.setState(tr, 'RUNNING', {
        attempts: append(tr.attempts, { state: newStateHistory('RUNNING', step.now) }),
      });
      try {
        handlerFor(task)?.start?.(step, step.get(tr.id)!, task);
      } catch (err) {
        step.log('ERROR', errorMessage(err), tr);
        endTaskRun(step, step.get(tr.id)!, task, 'FAILED', false);
      }
    } else {
      const next = step.setState(tr, 'CREATED');
      dispatch(step, next, task, tr.parentTaskRunId ? step.get(tr.parentTaskRunId) : undefined);
    }
    return;
  }
  if (e.timer === 'task-timeout') {
    step.log('ERROR', `Task '${task.id}' timed out after ${durationText(step, tr, task, task.timeout)}`, tr);
    for (const d of descendants(step, tr)) if (!isTerminal(d.state.current)) stopTaskRun(step, d);
    endTaskRun(step, step.get(tr.id)!, task, 'FAILED');
    return;
  }
  handlerFor(task)?.onTimer?.(step, tr, task, e.timer);
};

const descendants = (step: Step, tr: TaskRun): TaskRun[] => {
  const out: TaskRun[] = [];
  const walk = (p: TaskRun): void => {
    for (const c of step.idx.childrenOf(p.id)) {
      out.push(c);
      walk(c);
    }
  };
  walk(tr);
  return out;
};

const slaMaxDuration = (step: Step): void => {
  if (isTerminal(step.exec.state.current)) return;
  const started = Date.parse(step.exec.state.startDate);
  for (const sla of step.flow.sla ?? []) {
    if (sla.type !== 'MAX_DURATION') continue;
    const ms = durationMs(sla.duration);
    if (ms === undefined || step.now < started + ms) continue;
    step.log('WARN', `SLA '${sla.id}' violated: the execution ran longer than ${sla.duration}`);
    if (sla.behavior === 'NONE') {
      if (sla.labels)
        step.exec = { ...step.exec, labels: mergeLabels(step.exec.labels, toLabels(sla.labels)) };
      continue;
    }
    for (const tr of [...step.idx.runs]) if (!isTerminal(tr.state.current)) stopTaskRun(step, tr);
    step.exec = { ...step.exec, error: `SLA '${sla.id}' violated` };
    step.setExecState(sla.behavior === 'CANCEL' ? 'CANCELLED' : 'FAILED');
    return;
  }
};

const resume = (step: Step, inputs: Record<string, unknown> | undefined): void => {
  if (step.exec.state.current !== 'PAUSED') return;
  for (const tr of [...step.idx.runs]) {
    if (tr.state.current !== 'PAUSED') continue;
    const task = step.task(tr);
    if (task) handlerFor(task)?.onResume?.(step, tr, task, inputs);
  }
  step.setExecState('RUNNING');
};

/** Puts ended ancestors of `tr` and the execution back to RUNNING, so that resolution goes on. */
const reopen = (step: Step, tr: TaskRun): void => {
  for (const a of step.idx.ancestors(tr)) {
    if (isTerminal(a.state.current)) step.setState(a, 'RUNNING');
  }
};

const setTaskRunState = (step: Step, id: string, state: State): void => {
  const tr = step.get(id);
  if (!tr) return;
  const attempts = tr.attempts.map((a, i) =>
    i === tr.attempts.length - 1 ? { ...a, state: withState(a.state, state, step.now) } : a,
  );
  step.setState(tr, state, { attempts });
  reopen(step, tr);
  if (isTerminal(step.exec.state.current)) {
    step.exec = { ...step.exec, outputs: undefined, error: undefined };
    step.setExecState('RUNNING');
  }
};

const restart = (step: Step): void => {
  const s = step.exec.state.current;
  // A replay (a copy of an execution up to a chosen task run) starts RESTARTED: it just goes on from
  // the task runs it kept; the resolution that follows creates the dropped ones again.
  if (s === 'RESTARTED') {
    step.setExecState('RUNNING');
    return;
  }
  if (!isTerminal(s) || s === 'SUCCESS') return;
  const failed = step.idx.runs.filter(
    (tr) => tr.state.current === 'FAILED' || tr.state.current === 'KILLED' || tr.branch === 'errors',
  );
  for (const tr of failed) {
    const cur = step.get(tr.id)!;
    if (cur.state.current === 'RESTARTED') continue;
    const task = step.task(cur);
    if (task && isExecutorTask(task) && cur.branch !== 'errors') {
      // Its failed children are restarted on their own; it resolves again from them.
      if (isTerminal(cur.state.current)) step.setState(cur, 'RUNNING');
    } else {
      resetDescendants(step, cur);
      step.setState(cur, 'RESTARTED');
    }
    reopen(step, cur);
  }
  step.exec = { ...step.exec, outputs: undefined, error: undefined };
  step.setExecState('RESTARTED');
  step.setExecState('RUNNING');
};
