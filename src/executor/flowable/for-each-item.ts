/**
 * ForEachItem: three internal children in order (see `forEachItemTasks`): split the file into batches
 * (worker job), one subflow execution per batch (resolved here), merge the child outputs (worker job).
 * The ForEachItem task run then carries `numberOfBatches`, `iterations` and `uri` (merged outputs).
 */
import type { State } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import { endTaskRun, errorMessage } from '../decide/lifecycle.ts';
import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { worst } from '../state.ts';
import { enabled, forEachItemTasks } from '../tasks.ts';
import { failWith } from './common.ts';
import { childOutcome, startSubflow } from './subflow.ts';
import type { FlowableHandler } from './types.ts';

export const forEachItem: FlowableHandler = {
  advance(step, tr, task) {
    const inner = forEachItemTasks(task);
    const r = advanceScope(
      step,
      tr,
      sequenceSpec(inner, { errors: enabled(task.errors), finally: enabled(task.finally) }),
    );
    if (!r.done) return;
    const kids = step.idx.childrenOf(tr.id);
    const items = kids.find((k) => k.taskId === `${task.id}_items`);
    const merge = kids.find((k) => k.taskId === `${task.id}_merge`);
    const outputs: Record<string, unknown> = {};
    if (items?.outputs) {
      outputs.numberOfBatches = items.outputs.numberOfBatches;
      outputs.iterations = items.outputs.iterations;
    }
    if (merge?.outputs?.subflowOutputs !== undefined) outputs.uri = merge.outputs.subflowOutputs;
    const cur = Object.keys(outputs).length > 0 ? step.put({ ...tr, outputs }) : tr;
    endTaskRun(step, cur, task, r.state);
  },
};

type Batch = State | null;

/** The `<id>_items` child: one subflow execution per batch. */
export const forEachItemBatches: FlowableHandler = {
  start(step, tr, task) {
    const parent = tr.parentTaskRunId ? step.get(tr.parentTaskRunId) : undefined;
    const base = task.id.replace(/_items$/, '');
    const split = parent && step.idx.childrenOf(parent.id).find((k) => k.taskId === `${base}_split`);
    const splits = split?.outputs?.splits;
    if (!Array.isArray(splits)) {
      failWith(step, tr, task, `ForEachItem: the split task gave no batches (outputs.splits missing)`);
      return;
    }
    const n = splits.length;
    const batchStates: Batch[] = new Array(n).fill(null);
    step.put({ ...tr, outputs: { numberOfBatches: n, iterations: { CREATED: n, RUNNING: 0 }, batchStates } });
    try {
      splits.forEach((uri, i) => {
        startSubflow(step, step.get(tr.id)!, task, i + 1, { items: String(uri), iteration: i + 1 });
      });
    } catch (e) {
      failWith(step, step.get(tr.id)!, task, `Unable to start the subflows: ${errorMessage(e)}`);
      return;
    }
    if (n === 0) endTaskRun(step, step.get(tr.id)!, task, 'SUCCESS');
  },
  advance() {
    // Ends on subflow-update events only.
  },
  onSubflowUpdate(step, tr, task, e) {
    if (isTerminal(tr.state.current) || e.iteration === undefined) return;
    const outputs = tr.outputs ?? {};
    const states = [...((outputs.batchStates as Batch[]) ?? [])];
    const i = e.iteration - 1;
    if (i < 0 || i >= states.length) return;
    const prev = states[i] ?? 'CREATED';
    if (prev === e.state || (states[i] !== null && isTerminal(prev))) return;
    const iterations = { ...((outputs.iterations as Record<string, number>) ?? {}) };
    iterations[prev] = (iterations[prev] ?? 0) - 1;
    iterations[e.state] = (iterations[e.state] ?? 0) + 1;
    states[i] = e.state;
    const next = step.put({ ...tr, outputs: { ...outputs, iterations, batchStates: states } });
    const wait = task.wait !== false;
    if (!wait) {
      if (states.every((s) => s !== null)) endTaskRun(step, next, task, 'SUCCESS');
      return;
    }
    if (!states.every((s) => s !== null && isTerminal(s))) return;
    let state: State = 'SUCCESS';
    for (const s of states) state = worst(state, childOutcome(s as State, task.transmitFailed !== false));
    endTaskRun(step, next, task, state, false);
  },
};
