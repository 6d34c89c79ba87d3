/**
 * Starting and ending task runs: runIf, dispatch to a worker, flowable start hooks, timeouts, retry,
 * warningOnRetry, allowFailure / allowWarning.
 */
import type { LoopItem, State, TaskRun } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import { renderString } from '../../expression/index.ts';
import type { Task } from '../../flow/types.ts';
import { renderDuration } from '../durations.ts';
import { handlerFor } from '../flowable/registry.ts';
import { append, newStateHistory, truthyString, withState } from '../state.ts';
import type { Step } from '../step.ts';
import { canonical, isExecutorTask, T } from '../tasks.ts';
import { firstAttemptStart, retryDelay, retryPolicyOf } from './retry.ts';

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Whether the execution accepts new task runs (not while killing or after its end). */
export const canStart = (step: Step, branch?: TaskRun['branch']): boolean => {
  const s = step.exec.state.current;
  if (branch === 'afterExecution') return s !== 'KILLING';
  return s === 'RUNNING' || s === 'PAUSED';
};

export interface StartOptions {
  value?: string;
  iteration?: number;
  /** Loop iterations: the item the new task run belongs to. */
  loopItem?: LoopItem;
  branch?: TaskRun['branch'];
  /** A RESTARTED task run to re-run instead of creating one. */
  existing?: TaskRun;
}

/** Creates (or re-runs) the task run of `task` under `parent` and sets it going. */
export const startTask = (
  step: Step,
  task: Task,
  parent: TaskRun | undefined,
  opts: StartOptions = {},
): TaskRun => {
  if (opts.existing) return rerun(step, opts.existing, task);
  if (task.runIf !== undefined && task.runIf !== null) {
    let run: boolean;
    try {
      // Rendered as the future task run would see it (task, taskrun.value, parents).
      const probe: TaskRun = {
        ...(parent ? { parentTaskRunId: parent.id } : {}),
        ...(opts.value !== undefined ? { value: opts.value } : {}),
        ...(opts.loopItem ? { loopItem: opts.loopItem } : {}),
        id: '',
        executionId: step.exec.id,
        namespace: step.exec.namespace,
        flowId: step.exec.flowId,
        taskId: task.id,
        attempts: [],
        state: newStateHistory('CREATED', step.now),
      };
      const ctx = step.context(probe, task);
      run = truthyString(renderString(String(task.runIf), ctx, step.renderOptions));
    } catch (e) {
      const tr = step.create(task, parent, { ...opts, state: 'FAILED' });
      step.log('ERROR', `runIf of task '${task.id}' could not be rendered: ${errorMessage(e)}`, tr);
      return tr;
    }
    if (!run) return step.create(task, parent, { ...opts, state: 'SKIPPED' });
  }
  const tr = step.create(task, parent, opts);
  if (isExecutorTask(task)) startFlowable(step, tr, task);
  else dispatch(step, tr, task, parent);
  return tr;
};

const rerun = (step: Step, tr: TaskRun, task: Task): TaskRun => {
  if (isExecutorTask(task)) {
    const next = step.setState(tr, 'RUNNING', {
      attempts: append(tr.attempts, { state: newStateHistory('RUNNING', step.now) }),
    });
    startFlowable(step, next, task);
    return next;
  }
  const next = step.setState(tr, 'CREATED');
  dispatch(step, next, task, tr.parentTaskRunId ? step.get(tr.parentTaskRunId) : undefined);
  return next;
};

export const dispatch = (step: Step, tr: TaskRun, task: Task, parent: TaskRun | undefined): void => {
  const wd =
    parent && canonical(step.task(parent)?.type ?? '') === T.workingDirectory ? parent.id : undefined;
  step.effect({
    kind: 'dispatch',
    taskRun: tr,
    task,
    attempt: tr.attempts.length + 1,
    ...(wd ? { workingDirectory: wd } : {}),
  });
};

const startFlowable = (step: Step, tr: TaskRun, task: Task): void => {
  const handler = handlerFor(task);
  if (!handler) {
    step.log('ERROR', `Task type '${task.type}' is not supported by the executor`, tr);
    endTaskRun(step, tr, task, 'FAILED', false);
    return;
  }
  try {
    // Pause's `timeout` is its own property (what happens then depends on its `behavior`).
    const timeout =
      canonical(task.type) === T.pause ? undefined : renderDuration(step, tr, task, task.timeout, 'timeout');
    if (timeout)
      step.effect({
        kind: 'timer',
        at: step.now + timeout.ms,
        event: { type: 'timer', timer: 'task-timeout', taskRunId: tr.id, due: step.now + timeout.ms },
      });
    handler.start?.(step, step.get(tr.id)!, task);
  } catch (e) {
    const cur = step.get(tr.id)!;
    step.log('ERROR', errorMessage(e), cur);
    if (!isTerminal(cur.state.current)) endTaskRun(step, cur, task, 'FAILED', false);
  }
};

/**
 * Ends a task run (or schedules a retry): `raw` is the state its own logic reached; retry, then
 * warningOnRetry, allowFailure and allowWarning turn it into the final one.
 */
export const endTaskRun = (
  step: Step,
  tr: TaskRun,
  task: Task | undefined,
  raw: State,
  retryable = true,
): void => {
  if (raw === 'FAILED' && retryable && step.exec.state.current !== 'KILLING') {
    const policy = retryPolicyOf(step.flow, task);
    if (policy) {
      const attempts = Math.max(1, tr.attempts.length);
      const delay = retryDelay(policy, attempts, firstAttemptStart(tr, step.now), step.now, tr.id);
      if (delay !== undefined) {
        const attemptsEnded = tr.attempts.map((a, i) =>
          i === tr.attempts.length - 1 && !isTerminal(a.state.current)
            ? { ...a, state: withState(a.state, 'FAILED', step.now) }
            : a,
        );
        step.setState(tr, 'RETRYING', { attempts: attemptsEnded });
        const at = step.now + delay;
        step.effect({
          kind: 'timer',
          at,
          event: { type: 'timer', timer: 'retry', taskRunId: tr.id, due: at },
        });
        return;
      }
    }
  }
  let s = raw;
  if (s === 'SUCCESS' && tr.attempts.length > 1 && retryPolicyOf(step.flow, task)?.warningOnRetry)
    s = 'WARNING';
  if (task?.allowFailure && (s === 'FAILED' || s === 'KILLED') && step.exec.state.current !== 'KILLING')
    s = task.allowWarning ? 'SUCCESS' : 'WARNING';
  else if (task?.allowWarning && s === 'WARNING') s = 'SUCCESS';
  // The last attempt keeps what really happened; the task run carries the final state.
  const attempts = tr.attempts.map((a, i) =>
    i === tr.attempts.length - 1 && !isTerminal(a.state.current)
      ? { ...a, state: withState(a.state, raw, step.now) }
      : a,
  );
  step.setState(tr, s, { attempts });
};

/** Marks a whole subtree to be run again (flowable retry, WaitFor iteration reuse, restart). */
export const resetDescendants = (step: Step, tr: TaskRun): void => {
  for (const child of step.idx.childrenOf(tr.id)) {
    resetDescendants(step, child);
    if (child.state.current !== 'RESTARTED') step.setState(child, 'RESTARTED');
  }
};
