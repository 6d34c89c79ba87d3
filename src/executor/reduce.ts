/**
 * The executor's pure step (see types.ts): apply the events, then resolve every unfinished flowable task
 * run whose children changed, and the flow level, until nothing more changes. The task-run array and its
 * index are updated in place (see run-index.ts); a step that throws is undone.
 */

import { runIndex } from './context.ts';
import { applyEvent } from './decide/events.ts';
import { advanceRoot } from './decide/root.ts';
import { handlerFor } from './flowable/registry.ts';
import { dropIndex, ROOT } from './run-index.ts';
import { sealStep } from './seal-step.ts';
import { Step } from './step.ts';
import type { ReduceInput, ReduceOutput } from './types.ts';

/** Resolutions per step before we call it a bug (a handler that keeps changing what it reads). */
const MAX_RESOLUTIONS = 5_000_000;

export const reduce = (input: ReduceInput): ReduceOutput => {
  const idx = runIndex(input.flow, input.execution);
  idx.beginStep();
  const step = new Step(input, idx);
  try {
    for (const e of input.events) applyEvent(step, e);
    resolve(step);
    sealStep(step);
  } catch (err) {
    // The input execution is left as it was; its index, half-updated, is rebuilt when next needed.
    idx.rollbackStep();
    dropIndex(input.execution.taskRuns);
    throw err;
  }
  idx.endStep();
  return { execution: step.execution(), changedTaskRuns: [...step.changed.values()], effects: step.effects };
};

const resolve = (step: Step): void => {
  step.dirty.add(ROOT);
  for (const id of step.idx.activeFlowables) step.dirty.add(id);
  let n = 0;
  while (step.dirty.size > 0) {
    if (++n > MAX_RESOLUTIONS) throw new Error('executor: resolution does not converge');
    const id = step.dirty.values().next().value as string;
    step.dirty.delete(id);
    if (id === ROOT) {
      advanceRoot(step);
      continue;
    }
    const tr = step.get(id);
    if (tr?.state.current !== 'RUNNING') continue;
    const task = step.task(tr);
    const handler = task && handlerFor(task);
    if (task && handler) handler.advance(step, tr, task);
  }
};
