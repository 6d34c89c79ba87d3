/**
 * Loop (Kestra 1.x): runs `tasks` once per item of `values` (a list or a map), `concurrencyLimit`
 * iterations at once (0: all). Every task of an iteration sees `item` (`index`, `value`, `key`;
 * `item.parent(s)` in nested loops) and the outputs of its own iteration as `outputs.<taskId>`; those
 * outputs stay inside the iteration (Kestra runs each iteration as an isolated sub-execution, Baton keeps
 * them in the same execution but scoped, see run-index.ts). The Loop's `outputs` definitions are rendered
 * at the end of each iteration and collected in its `outputs` output.
 *
 * Outputs: `iterationCount`, `runningIterations`, `terminatedIterations` (ended iterations by state),
 * `outputs` (`[{item: {value, iteration, key}, outputs}]`, when some were collected).
 * A failed iteration fails the Loop (`transmitFailed`, default true: no new iteration starts), else it is
 * only counted; `breakWhen`, rendered after each iteration with `iteration.{state, outputs, executionId}`,
 * stops starting new ones. `errors` / `finally` run once, after the iterations.
 */
import type { LoopItem, State, TaskRun } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import { renderString, renderValue } from '../../expression/index.ts';
import type { FlowOutput, Task } from '../../flow/types.ts';
import { canStart, endTaskRun, errorMessage, startTask } from '../decide/lifecycle.ts';
import { typedOutput } from '../decide/root.ts';
import { runSequence } from '../decide/scope.ts';
import { iterationKey } from '../run-index.ts';
import { truthyString, worst } from '../state.ts';
import type { Step } from '../step.ts';
import { enabled } from '../tasks.ts';
import { failWith, intProp } from './common.ts';
import { computeItems, loopItems, rememberItems } from './loop-items.ts';
import type { FlowableHandler } from './types.ts';

interface LoopOutputs {
  iterationCount: number;
  runningIterations: number;
  terminatedIterations: Partial<Record<State, number>>;
  outputs?: Record<string, unknown>[];
  /** While running: `breakWhen` matched or (transmitFailed) an iteration failed; no new iteration. */
  stopped?: boolean;
  [k: string]: unknown;
}

const isFailedEnd = (s: State): boolean => s === 'FAILED' || s === 'KILLED' || s === 'CANCELLED';

/** Children whose end was already counted in this step: a child may be written again after it ended. */
const seen = new WeakMap<Step, Set<string>>();

const stateOf = (tr: TaskRun): LoopOutputs => tr.outputs as LoopOutputs;
const ended = (o: LoopOutputs): number => {
  let n = 0;
  for (const v of Object.values(o.terminatedIterations)) n += v ?? 0;
  return n;
};

const startIteration = (step: Step, tr: TaskRun, tasks: Task[], item: LoopItem): void => {
  startTask(step, tasks[0]!, tr, { loopItem: item });
};

const roots = (step: Step, tr: TaskRun, index: number): TaskRun[] =>
  (step.idx.iterationRoots.get(iterationKey(tr.id, index)) ?? []).map((id) => step.get(id)!);

/** The Loop's `outputs` definitions, rendered as the iteration's tasks see the context. */
const iterationOutputs = (step: Step, probe: TaskRun, task: Task): Record<string, unknown> | undefined => {
  const defs = Array.isArray(task.outputs) ? (task.outputs as FlowOutput[]) : [];
  if (defs.length === 0) return undefined;
  const ctx = step.context(probe);
  const out: Record<string, unknown> = {};
  for (const o of defs) out[o.id] = typedOutput(o, renderValue(o.value, ctx, step.renderOptions));
  return out;
};

/** Counts an ended iteration: its state, its collected outputs, and whether to stop starting new ones. */
const endIteration = (step: Step, tr: TaskRun, task: Task, item: LoopItem): void => {
  const runs = roots(step, tr, item.index);
  let state: State = 'SUCCESS';
  for (const r of runs) state = worst(state, r.state.current);
  const o = { ...stateOf(step.get(tr.id)!) };
  let collected: Record<string, unknown> | undefined;
  try {
    collected = iterationOutputs(step, runs[0]!, task);
  } catch (e) {
    step.log('ERROR', `Loop iteration ${item.index}: outputs could not be rendered: ${errorMessage(e)}`, tr);
    state = 'FAILED';
  }
  o.runningIterations -= 1;
  o.terminatedIterations = { ...o.terminatedIterations, [state]: (o.terminatedIterations[state] ?? 0) + 1 };
  if (collected) {
    const itemOut: Record<string, unknown> = { value: item.value, iteration: item.index };
    if (item.key !== undefined) itemOut.key = item.key;
    o.outputs = [...(o.outputs ?? []), { item: itemOut, outputs: collected }];
  }
  if (isFailedEnd(state) && task.transmitFailed !== false) {
    step.log('ERROR', `Loop iteration ${item.index} ended in ${state}`, tr);
    o.stopped = true;
  } else if (task.breakWhen !== undefined && task.breakWhen !== null) {
    const ctx = {
      ...step.context(runs[0]!),
      iteration: { executionId: step.exec.id, state, outputs: collected ?? {} },
    };
    try {
      if (truthyString(renderString(String(task.breakWhen), ctx, step.renderOptions))) o.stopped = true;
    } catch (e) {
      step.log('ERROR', `Loop breakWhen could not be rendered: ${errorMessage(e)}`, tr);
      o.stopped = true;
    }
  }
  step.put({ ...step.get(tr.id)!, outputs: o });
};

/** Looks at the children written since the last look: next task of their iteration, or its end. */
const follow = (step: Step, tr: TaskRun, task: Task, tasks: Task[]): void => {
  let done = seen.get(step);
  if (!done) {
    done = new Set();
    seen.set(step, done);
  }
  const pos = new Map(tasks.map((t, i) => [t.id, i]));
  for (const id of step.takeChanged(tr.id)) {
    const c = step.get(id)!;
    if (!c.loopItem || c.branch || !isTerminal(c.state.current) || done.has(id)) continue;
    done.add(id);
    const next = tasks[(pos.get(c.taskId) ?? tasks.length) + 1];
    if (!isFailedEnd(c.state.current) && next && canStart(step)) {
      if (!roots(step, tr, c.loopItem.index).some((r) => r.taskId === next.id))
        startTask(step, next, tr, { loopItem: c.loopItem });
    } else endIteration(step, tr, task, c.loopItem);
  }
};

/** Runs `errors` (after a failure) then `finally`, and ends the Loop. */
const finish = (step: Step, tr: TaskRun, task: Task, o: LoopOutputs): void => {
  const killing = step.exec.state.current === 'KILLING';
  const failed =
    task.transmitFailed !== false &&
    ((o.terminatedIterations.FAILED ?? 0) > 0 ||
      (o.terminatedIterations.KILLED ?? 0) > 0 ||
      (o.terminatedIterations.CANCELLED ?? 0) > 0);
  let state: State = killing ? 'KILLED' : failed ? 'FAILED' : 'SUCCESS';
  const errors = enabled(task.errors);
  const fin = enabled(task.finally);
  if (!killing && (errors.length > 0 || fin.length > 0)) {
    const kids = step.idx.childrenOf(tr.id);
    if (failed && errors.length > 0) {
      const r = runSequence(
        step,
        tr,
        errors,
        kids.filter((k) => k.branch === 'errors'),
        'errors',
      );
      if (r === 'running') return;
    }
    if (fin.length > 0) {
      const r = runSequence(
        step,
        tr,
        fin,
        kids.filter((k) => k.branch === 'finally'),
        'finally',
      );
      if (r === 'running') return;
      if (r === 'failed') state = 'FAILED';
    }
  }
  const { stopped: _s, ...outputs } = o;
  const cur = step.put({ ...step.get(tr.id)!, outputs });
  endTaskRun(step, cur, task, state, false);
};

export const loop: FlowableHandler = {
  start(step, tr, task) {
    if (task.fetchType === 'STORE') {
      failWith(step, tr, task, 'Loop: fetchType STORE is not supported by Baton yet; use FETCH');
      return;
    }
    let items: LoopItem[];
    try {
      items = computeItems(step, tr, task);
    } catch (e) {
      failWith(step, tr, task, errorMessage(e));
      return;
    }
    rememberItems(tr, items);
    const outputs: LoopOutputs = {
      iterationCount: items.length,
      runningIterations: 0,
      terminatedIterations: {},
    };
    step.put({ ...tr, outputs });
  },
  advance(step, tr, task) {
    const tasks = enabled(task.tasks);
    let items: LoopItem[];
    try {
      items = loopItems(step, tr, task);
    } catch (e) {
      failWith(step, tr, task, errorMessage(e));
      return;
    }
    follow(step, tr, task, tasks);
    let o = stateOf(step.get(tr.id)!);
    const limit = intProp(task.concurrencyLimit, 0);
    let next = o.runningIterations + ended(o);
    if (tasks.length > 0) {
      while (
        !o.stopped &&
        next < items.length &&
        (limit <= 0 || o.runningIterations < limit) &&
        canStart(step)
      ) {
        o = { ...o, runningIterations: o.runningIterations + 1 };
        step.put({ ...step.get(tr.id)!, outputs: o });
        startIteration(step, step.get(tr.id)!, tasks, items[next]!);
        next++;
        // A first task that ended at once (runIf, a failing start) ends its iteration now.
        follow(step, step.get(tr.id)!, task, tasks);
        o = stateOf(step.get(tr.id)!);
      }
    }
    if (o.runningIterations > 0) return;
    if (!o.stopped && next < items.length && tasks.length > 0 && canStart(step)) return;
    finish(step, step.get(tr.id)!, task, o);
  },
};
