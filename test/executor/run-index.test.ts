/**
 * The task-run index is kept up to date by the reducer's writes instead of being rebuilt each step: after
 * any sequence of steps it must equal an index built from scratch over the same task runs, and a step
 * that is rolled back must leave the task-run array as it was.
 */
import { describe, expect, it } from 'vitest';
import type { State, TaskRun } from '../../src/execution/types.ts';
import { indexFor, RunIndex } from '../../src/executor/run-index.ts';

/** Deterministic pseudo-random numbers (mulberry32), so that a failure can be replayed. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const STATES: State[] = ['CREATED', 'RUNNING', 'SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'PAUSED'];
/** Task ids starting with `f` are flowable (the executor resolves them: the index tracks the unfinished). */
const isFlowable = (tr: TaskRun): boolean => tr.taskId.startsWith('f');

const history = (state: State) => ({ current: state, startDate: 'd', histories: [{ state, date: 'd' }] });

/** Everything the index derives from the task runs, in comparable form. */
const view = (idx: RunIndex) => ({
  runs: [...idx.runs],
  pos: new Map(idx.pos),
  children: new Map([...idx.children].map(([k, v]) => [k, [...v]])),
  activeFlowables: new Set(idx.activeFlowables),
  iterationRoots: new Map([...idx.iterationRoots].map(([k, v]) => [k, [...v]])),
  outputs: idx.outputs(),
  tasks: idx.tasks(),
});

/**
 * One random step: new task runs (under a random parent; loop children share their task id and differ
 * by value, as in real executions) and state changes of existing ones; outputs are set when a task run
 * ends, once, as a worker result does.
 */
const randomStep = (idx: RunIndex, random: () => number, next: () => number): void => {
  const writes = 1 + Math.floor(random() * 6);
  for (let w = 0; w < writes; w++) {
    const runs = idx.runs;
    if (runs.length === 0 || random() < 0.5) {
      const parent = runs.length > 0 && random() < 0.7 ? runs[Math.floor(random() * runs.length)] : undefined;
      const n = next();
      const looped = parent && random() < 0.4;
      const tr: TaskRun = {
        id: `tr${n}`,
        executionId: 'e',
        namespace: 'n',
        flowId: 'f',
        taskId: looped
          ? `${random() < 0.3 ? 'f' : 't'}loop-${parent.id}`
          : `${random() < 0.3 ? 'f' : 't'}${n}`,
        attempts: [],
        state: history(random() < 0.8 ? 'RUNNING' : 'CREATED'),
      };
      if (parent) tr.parentTaskRunId = parent.id;
      if (looped) {
        tr.value = `v${n}`;
        tr.iteration = n;
        if (random() < 0.3) tr.loopItem = { index: n, value: `v${n}` };
      }
      idx.put(tr);
    } else {
      const tr = runs[Math.floor(random() * runs.length)]!;
      const state = STATES[Math.floor(random() * STATES.length)]!;
      const ended = state !== 'CREATED' && state !== 'RUNNING' && state !== 'PAUSED';
      const outputs = ended && !tr.outputs && random() < 0.7 ? { value: `out-${tr.id}` } : tr.outputs;
      idx.put({ ...tr, state: history(state), outputs });
    }
  }
};

describe('RunIndex kept up to date by steps', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`equals an index rebuilt from scratch after random steps (seed ${seed})`, () => {
      const random = rng(seed);
      let counter = 0;
      const next = () => ++counter;
      const runs: TaskRun[] = [];
      let idx = indexFor(runs, isFlowable);
      // The lazily built maps, built early so that they too are kept up to date by the steps.
      idx.outputs();
      idx.tasks();
      for (let step = 0; step < 150; step++) {
        const before = [...idx.runs];
        idx.beginStep();
        randomStep(idx, random, next);
        if (random() < 0.15) {
          // A step that throws: the array is put back as it was and the index dropped, as reduce does.
          idx.rollbackStep();
          expect(idx.runs).toEqual(before);
          expect(idx.runs).toBe(runs);
          idx = new RunIndex(idx.runs, isFlowable);
          idx.outputs();
          idx.tasks();
          continue;
        }
        idx.endStep();
        // The array keeps its identity: the cache finds the index under it, whoever asks.
        expect(idx.runs).toBe(runs);
        expect(view(idx)).toEqual(view(new RunIndex([...idx.runs], isFlowable)));
      }
      expect(runs.length).toBeGreaterThan(100);
    });
  }

  it('tells a summary of a parent which children were written, and drops it when an ended child changes', () => {
    const idx = new RunIndex([], isFlowable);
    const child = (id: string, state: State): TaskRun => ({
      id,
      executionId: 'e',
      namespace: 'n',
      flowId: 'f',
      taskId: id,
      parentTaskRunId: 'p',
      attempts: [],
      state: history(state),
    });
    idx.put(child('a', 'RUNNING'));
    const summary = { changed: [] as string[] };
    idx.summaries.set('p', summary);
    idx.put(child('b', 'RUNNING')); // new: the summary finds it in the child list
    idx.put(child('a', 'SUCCESS'));
    expect(summary.changed).toEqual(['a']);
    idx.put(child('a', 'FAILED'));
    expect(idx.summaries.has('p')).toBe(false);
  });
});
