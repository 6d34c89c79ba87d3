/**
 * The generic resolution of a parent's children (Kestra's FlowableUtils): main tasks arranged in lanes
 * (a lane is a sequence; lanes run side by side up to a concurrency limit), then the `errors` branch when
 * a main task failed, then `finally`. The parent's state comes from its main tasks: any failure → FAILED,
 * else any warning → WARNING, else SUCCESS; a failing `finally` fails it too.
 *
 * Cost: one pass over the parent's children per call, with per-lane summaries in typed arrays, so that a
 * loop over thousands of values stays linear per step.
 */
import type { State, TaskRun } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import type { Task } from '../../flow/types.ts';
import { worst } from '../state.ts';
import type { Step } from '../step.ts';
import { canStart, startTask } from './lifecycle.ts';

export interface ScopeSpec {
  laneCount: number;
  laneTasks: (lane: number) => Task[];
  laneValue?: (lane: number) => string | undefined;
  laneIteration?: (lane: number) => number | undefined;
  /** Lane of a main child, and its position in the lane's tasks; undefined when it belongs to none. */
  locate: (child: TaskRun) => { lane: number; pos: number } | undefined;
  /** Dag: whether a lane may start, given which lanes ended without failure. */
  ready?: (lane: number, succeeded: (lane: number) => boolean) => boolean;
  /** Lanes running at once; 0 = no limit. */
  concurrency: number;
  errors?: Task[];
  finally?: Task[];
  /** Only children matching this are part of the scope (WaitFor: the current iteration). */
  filter?: (tr: TaskRun) => boolean;
  /** Branch of the main tasks (flow level afterExecution). */
  mainBranch?: TaskRun['branch'];
}

export type ScopeResult = { done: false } | { done: true; state: State };

const RUNNING = 1;
const FAILED = 2;

const isFailedEnd = (s: State): boolean => s === 'FAILED' || s === 'KILLED' || s === 'CANCELLED';

/** Runs a sequence (errors, finally) to its end. */
const runSequence = (
  step: Step,
  parent: TaskRun | undefined,
  tasks: Task[],
  runs: TaskRun[],
  branch: TaskRun['branch'],
): 'running' | 'failed' | 'done' => {
  const byId = new Map<string, TaskRun>();
  for (const r of runs) byId.set(r.taskId, r);
  for (const task of tasks) {
    const r = byId.get(task.id);
    if (!r || r.state.current === 'RESTARTED') {
      if (!canStart(step, branch)) return 'failed';
      startTask(step, task, parent, { branch, existing: r });
      return 'running';
    }
    if (!isTerminal(r.state.current)) return 'running';
    if (isFailedEnd(r.state.current)) return 'failed';
  }
  return 'done';
};

export const advanceScope = (step: Step, parent: TaskRun | undefined, spec: ScopeSpec): ScopeResult => {
  const n = spec.laneCount;
  const lastPos = new Int32Array(n).fill(-1);
  const flags = new Uint8Array(n);
  const restarted = new Map<number, TaskRun>();
  const errorRuns: TaskRun[] = [];
  const finallyRuns: TaskRun[] = [];
  let mainState: State = 'SUCCESS';
  let anyFailed = false;
  let anyRunning = false;
  const lanePos = (lane: number, pos: number): number => lane * 4096 + pos;
  for (const c of step.idx.childrenOf(parent?.id)) {
    if (spec.filter && !spec.filter(c)) continue;
    if (c.branch !== spec.mainBranch) {
      if (c.branch === 'errors') errorRuns.push(c);
      else if (c.branch === 'finally') finallyRuns.push(c);
      continue;
    }
    const at = spec.locate(c);
    if (!at || at.lane >= n) continue;
    const s = c.state.current;
    if (s === 'RESTARTED') {
      restarted.set(lanePos(at.lane, at.pos), c);
      continue;
    }
    if (at.pos > lastPos[at.lane]!) lastPos[at.lane] = at.pos;
    if (!isTerminal(s)) {
      flags[at.lane]! |= RUNNING;
      anyRunning = true;
    } else if (isFailedEnd(s)) {
      flags[at.lane]! |= FAILED;
      anyFailed = true;
    }
    mainState = worst(mainState, s);
  }
  // Once the errors or finally branch started, the main tasks are over (even if some were reset).
  const mainOver = errorRuns.length > 0 || finallyRuns.length > 0;
  const startable = canStart(step, spec.mainBranch) && !anyFailed && !mainOver;
  let running = anyRunning;
  let pending = false;
  const start = (lane: number, pos: number): void => {
    const task = spec.laneTasks(lane)[pos]!;
    startTask(step, task, parent, {
      value: spec.laneValue?.(lane),
      iteration: spec.laneIteration?.(lane),
      existing: restarted.get(lanePos(lane, pos)),
      branch: spec.mainBranch,
    });
    running = true;
  };
  // Lanes part-way through go on; they hold a concurrency slot.
  let active = 0;
  const fresh: number[] = [];
  for (let lane = 0; lane < n; lane++) {
    const f = flags[lane]!;
    const last = lastPos[lane]!;
    if (f & RUNNING) active++;
    else if (f & FAILED) continue;
    else if (last >= 0 && last + 1 < spec.laneTasks(lane).length) {
      active++;
      if (startable) start(lane, last + 1);
      else pending = true;
    } else if (last < 0) fresh.push(lane);
  }
  if (fresh.length > 0) {
    const succeeded = (lane: number): boolean =>
      flags[lane] === 0 &&
      lastPos[lane]! + 1 >= spec.laneTasks(lane).length &&
      spec.laneTasks(lane).length > 0;
    for (const lane of fresh) {
      if (spec.laneTasks(lane).length === 0) continue;
      if (!startable || (spec.concurrency > 0 && active >= spec.concurrency)) {
        pending = true;
        break;
      }
      if (spec.ready && !spec.ready(lane, succeeded)) {
        pending = true;
        continue;
      }
      start(lane, 0);
      active++;
    }
  }
  if (running) return { done: false };
  // Tasks left unstarted with nothing running: a failure or a kill stopped them, or (Dag) a dependency
  // that can never be met.
  const killing = step.exec.state.current === 'KILLING';
  let failed = anyFailed || (pending && !killing && !mainOver && canStart(step, spec.mainBranch));
  if (mainOver && errorRuns.length > 0) failed = true;
  if (failed && !killing && spec.errors && spec.errors.length > 0) {
    if (runSequence(step, parent, spec.errors, errorRuns, 'errors') === 'running') return { done: false };
  }
  let finallyFailed = false;
  if (spec.finally && spec.finally.length > 0 && !killing) {
    const r = runSequence(step, parent, spec.finally, finallyRuns, 'finally');
    if (r === 'running') return { done: false };
    finallyFailed = r === 'failed';
  }
  if (killing) return { done: true, state: 'KILLED' };
  let state = mainState;
  if (failed || finallyFailed) state = worst(state, 'FAILED');
  return { done: true, state };
};

/** One lane running `tasks` in order (Sequential, AllowFailure, WorkingDirectory, If, Switch...). */
export const sequenceSpec = (tasks: Task[], extra: Partial<ScopeSpec> = {}): ScopeSpec => {
  const pos = new Map(tasks.map((t, i) => [t.id, i]));
  return {
    laneCount: 1,
    laneTasks: () => tasks,
    locate: (c) => {
      const p = pos.get(c.taskId);
      return p === undefined ? undefined : { lane: 0, pos: p };
    },
    concurrency: 1,
    ...extra,
  };
};

/** One lane per task (Parallel, Dag). */
export const parallelSpec = (
  tasks: Task[],
  concurrency: number,
  extra: Partial<ScopeSpec> = {},
): ScopeSpec => {
  const pos = new Map(tasks.map((t, i) => [t.id, i]));
  const lanes = tasks.map((t) => [t]);
  return {
    laneCount: tasks.length,
    laneTasks: (l) => lanes[l]!,
    locate: (c) => {
      const l = pos.get(c.taskId);
      return l === undefined ? undefined : { lane: l, pos: 0 };
    },
    concurrency,
    ...extra,
  };
};

/** One lane per loop value running `tasks` in order (ForEach, EachSequential). */
export const loopSpec = (
  values: string[],
  tasks: Task[],
  concurrency: number,
  extra: Partial<ScopeSpec> = {},
): ScopeSpec => {
  const pos = new Map(tasks.map((t, i) => [t.id, i]));
  return {
    laneCount: values.length,
    laneTasks: () => tasks,
    laneValue: (l) => values[l],
    laneIteration: (l) => l,
    locate: (c) => {
      const p = pos.get(c.taskId);
      return p === undefined || c.iteration === undefined ? undefined : { lane: c.iteration, pos: p };
    },
    concurrency,
    ...extra,
  };
};

/** One lane per (value, task) pair (EachParallel: every task of every value at once). */
export const eachParallelSpec = (
  values: string[],
  tasks: Task[],
  concurrency: number,
  extra: Partial<ScopeSpec> = {},
): ScopeSpec => {
  const k = tasks.length;
  const pos = new Map(tasks.map((t, i) => [t.id, i]));
  const lanes = tasks.map((t) => [t]);
  return {
    laneCount: values.length * k,
    laneTasks: (l) => lanes[l % k]!,
    laneValue: (l) => values[Math.floor(l / k)],
    laneIteration: (l) => Math.floor(l / k),
    locate: (c) => {
      const p = pos.get(c.taskId);
      return p === undefined || c.iteration === undefined ? undefined : { lane: c.iteration * k + p, pos: 0 };
    },
    concurrency,
    ...extra,
  };
};
