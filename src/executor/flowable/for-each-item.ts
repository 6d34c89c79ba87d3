/**
 * ForEachItem: three internal children in order (see `forEachItemTasks`), as Kestra's ForEachItem, with
 * `wait` true or false alike: split the file into batches (worker job), one subflow execution per batch
 * (resolved here), merge the child outputs (worker job). The ForEachItem task run itself has no outputs
 * (Kestra's is a VoidOutput); `numberOfBatches` and `iterations` are on `<id>_items`, the merged outputs'
 * URI is `subflowOutputs` on `<id>_merge`.
 */
import type { State } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import { endTaskRun, errorMessage } from '../decide/lifecycle.ts';
import { advanceScope, sequenceSpec } from '../decide/scope.ts';
import { worst } from '../state.ts';
import { enabled, forEachItemTasks } from '../tasks.ts';
import { failWith, finishScope } from './common.ts';
import { childOutcome, startSubflow } from './subflow.ts';
import type { FlowableHandler } from './types.ts';

export const forEachItem: FlowableHandler = {
  advance(step, tr, task) {
    const spec = sequenceSpec(forEachItemTasks(task), {
      errors: enabled(task.errors),
      finally: enabled(task.finally),
    });
    finishScope(step, tr, task, advanceScope(step, tr, spec));
  },
};

/**
 * The `<id>_items` child: one subflow execution per batch. `iterations` counts the batches by the state
 * of their child execution, ending e.g. as `{CREATED: 0, RUNNING: 0, SUCCESS: 3}` with `wait`; without
 * it, a batch counts as SUCCESS once its child exists, ending as `{RUNNING: 0, SUCCESS: 3}` (the shapes
 * Kestra's ForEachItemCaseTest asserts).
 */
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
    // No items: no subflow, no outputs (as Kestra's forEachItemEmptyItems).
    if (n === 0) {
      endTaskRun(step, tr, task, 'SUCCESS');
      return;
    }
    const wait = task.wait !== false;
    const iterations = wait ? { CREATED: n, RUNNING: 0 } : { RUNNING: 0, SUCCESS: 0 };
    step.put({ ...tr, outputs: { numberOfBatches: n, iterations }, batchStates: new Array(n).fill(null) });
    try {
      splits.forEach((uri, i) => {
        startSubflow(step, step.get(tr.id)!, task, i + 1, { items: String(uri), iteration: i + 1 });
      });
    } catch (e) {
      failWith(step, step.get(tr.id)!, task, `Unable to start the subflows: ${errorMessage(e)}`);
    }
  },
  advance() {
    // Ends on subflow-update events only.
  },
  onSubflowUpdate(step, tr, task, e) {
    if (isTerminal(tr.state.current) || e.iteration === undefined) return;
    if (e.error !== undefined) {
      // Kestra fails the task run when a subflow execution cannot be created (flow missing or disabled).
      failWith(step, tr, task, `Unable to start the subflow of batch ${e.iteration}: ${e.error}`);
      return;
    }
    const states = [...(tr.batchStates ?? [])];
    const i = e.iteration - 1;
    if (i < 0 || i >= states.length) return;
    const wait = task.wait !== false;
    const prev = states[i] ?? null;
    const next: State = wait ? e.state : 'SUCCESS';
    if (prev === next || (prev !== null && isTerminal(prev))) return;
    const iterations = { ...((tr.outputs?.iterations as Record<string, number>) ?? {}) };
    const from = prev ?? (wait ? 'CREATED' : undefined);
    if (from !== undefined) iterations[from] = (iterations[from] ?? 0) - 1;
    iterations[next] = (iterations[next] ?? 0) + 1;
    states[i] = next;
    const cur = step.put({ ...tr, outputs: { ...(tr.outputs ?? {}), iterations }, batchStates: states });
    if (!states.every((s) => s !== null && isTerminal(s))) return;
    let state: State = 'SUCCESS';
    for (const s of states) state = worst(state, childOutcome(s as State, task.transmitFailed !== false));
    endTaskRun(step, cur, task, state, false);
  },
};
