/**
 * Subflow (and the legacy Flow task): starts an execution of `namespace`/`flowId` with rendered `inputs`
 * and `labels` (plus the parent's labels with `inheritLabels`). With `wait` (default) it ends with the
 * child: SUCCESS, or the child's failure when `transmitFailed` (default); outputs `executionId`, `state`
 * and `outputs` (the child's flow outputs, or the task's own `outputs` rendered against the child).
 * Without `wait` it succeeds once the child exists.
 */
import type { Label, State, TaskRun } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import { renderValue } from '../../expression/index.ts';
import type { Task } from '../../flow/types.ts';
import { openSecrets } from '../../secrets/seal.ts';
import { endTaskRun, errorMessage } from '../decide/lifecycle.ts';
import { toLabels } from '../decide/root.ts';
import type { Step } from '../step.ts';
import { canonical } from '../tasks.ts';
import type { ExecutorEvent } from '../types.ts';
import { failWith, render } from './common.ts';
import type { FlowableHandler } from './types.ts';

export const subflowLabels = (step: Step, tr: TaskRun, task: Task): Label[] => {
  const own = toLabels(render(step, tr, task, task.labels ?? []));
  const inherited = task.inheritLabels ? step.exec.labels.filter((l) => !l.key.startsWith('system.')) : [];
  const out = [...inherited];
  for (const l of own) {
    const i = out.findIndex((x) => x.key === l.key);
    if (i >= 0) out[i] = l;
    else out.push(l);
  }
  return out;
};

/** Emits `start-subflow`; `extraVars` adds per-batch variables (ForEachItem's `taskrun.items`). */
export const startSubflow = (
  step: Step,
  tr: TaskRun,
  task: Task,
  iteration?: number,
  taskrunExtra?: Record<string, unknown>,
): void => {
  const ctx = step.context(tr, task);
  if (taskrunExtra) ctx.taskrun = { ...(ctx.taskrun as object), ...taskrunExtra };
  const r = (v: unknown): unknown => renderValue(v, ctx, step.renderOptions);
  const revision = task.revision === undefined ? undefined : Number(r(task.revision));
  step.effect({
    kind: 'start-subflow',
    parentTaskRunId: tr.id,
    namespace: String(r(task.namespace)),
    flowId: String(r(task.flowId)),
    ...(revision !== undefined && !Number.isNaN(revision) ? { revision } : {}),
    inputs: (r(task.inputs ?? {}) as Record<string, unknown>) ?? {},
    labels: subflowLabels(step, tr, task),
    wait: task.wait !== false,
    ...(iteration !== undefined ? { iteration } : {}),
    trigger: {
      id: task.id,
      type: canonical(task.type),
      variables: {
        executionId: step.exec.id,
        namespace: step.exec.namespace,
        flowId: step.exec.flowId,
        flowRevision: step.exec.flowRevision,
      },
    },
  });
};

/** State of the task run for a child that ended in `child`. */
export const childOutcome = (child: State, transmitFailed: boolean): State => {
  if (!transmitFailed) return 'SUCCESS';
  if (child === 'FAILED' || child === 'CANCELLED') return 'FAILED';
  if (child === 'KILLED') return 'KILLED';
  if (child === 'WARNING') return 'WARNING';
  return 'SUCCESS';
};

const update = (
  step: Step,
  tr: TaskRun,
  task: Task,
  e: Extract<ExecutorEvent, { type: 'subflow-update' }>,
): void => {
  if (isTerminal(tr.state.current)) return;
  if (e.error !== undefined) {
    // No child execution exists: no `executionId` output, and the reason in the task run's logs.
    step.log('ERROR', `Unable to start the subflow: ${e.error}`, tr);
    endTaskRun(step, tr, task, 'FAILED');
    return;
  }
  const wait = task.wait !== false;
  if (!wait) {
    endTaskRun(step, step.put({ ...tr, outputs: { executionId: e.childExecutionId } }), task, 'SUCCESS');
    return;
  }
  if (!isTerminal(e.state)) {
    if (tr.outputs?.executionId !== e.childExecutionId)
      step.put({ ...tr, outputs: { executionId: e.childExecutionId } });
    return;
  }
  const outputs: Record<string, unknown> = { executionId: e.childExecutionId, state: e.state };
  let state = childOutcome(e.state, task.transmitFailed !== false);
  if (task.outputs && typeof task.outputs === 'object') {
    try {
      const ctx = { ...step.context(tr, task), outputs: openSecrets(e.taskOutputs ?? {}, step.cipher) };
      outputs.outputs = renderValue(task.outputs, ctx, step.renderOptions);
    } catch (err) {
      step.log('ERROR', `Unable to render the subflow outputs: ${errorMessage(err)}`, tr);
      state = 'FAILED';
    }
  } else if (e.outputs) outputs.outputs = e.outputs;
  endTaskRun(step, step.put({ ...tr, outputs }), task, state, state !== 'FAILED' || e.state !== 'SUCCESS');
};

export const subflow: FlowableHandler = {
  start(step, tr, task) {
    try {
      startSubflow(step, tr, task);
    } catch (e) {
      failWith(step, tr, task, `Unable to start the subflow: ${errorMessage(e)}`);
    }
  },
  advance() {
    // Ends on subflow-update events only.
  },
  onSubflowUpdate: update,
};
