/**
 * The generic resolution of a parent's children (Kestra's FlowableUtils): main tasks arranged in lanes
 * (a lane is a sequence; lanes run side by side up to a concurrency limit), then the `errors` branch when
 * a main task failed, then `finally`. The parent's state comes from its main tasks: any failure → FAILED,
 * else any warning → WARNING, else SUCCESS; a failing `finally` fails it too.
 *
 * Cost: a scope with a `cacheKey` keeps a summary of its children that each call brings up to date from
 * the children written since (lanes.ts), so that a step costs what changed, not the number of children
 * (a ForEach over 100,000 values, a flow of 5,000 tasks). Dag and WaitFor scopes, small and with rules
 * of their own, are scanned whole on each call (scan.ts).
 */
import type { State, TaskRun } from '../../execution/types.ts';
import { isTerminal } from '../../execution/types.ts';
import type { Task } from '../../flow/types.ts';
import { worst } from '../state.ts';
import type { Step } from '../step.ts';
import { advanceLanes } from './lanes.ts';
import { canStart, startTask } from './lifecycle.ts';
import { scanScope } from './scan.ts';

export interface ScopeSpec {
  laneCount: number;
  laneTasks: (lane: number) => Task[];
  laneValue?: (lane: number) => string | undefined;
  laneIteration?: (lane: number) => number | undefined;
  /** Lane of a main child times `width` plus its position in the lane's tasks; -1 when it belongs to none. */
  locate: (child: TaskRun) => number;
  /** Positions per lane in `locate`'s number: at least the longest lane's length. */
  width: number;
  /** Dag: whether a lane may start, given which lanes ended without failure. */
  ready?: (lane: number, succeeded: (lane: number) => boolean) => boolean;
  /** Lanes running at once; 0 = no limit. */
  concurrency: number;
  /** Length shared by every lane (loops), to spare a call per lane. */
  uniformLaneLength?: number;
  /**
   * Identifies the lanes (the task list, the loop values): the summary of the children is kept while
   * it stays the same. Without one, the children are scanned whole on each call.
   */
  cacheKey?: object;
  errors?: Task[];
  finally?: Task[];
  /** Only children matching this are part of the scope (WaitFor: the current iteration). */
  filter?: (tr: TaskRun) => boolean;
  /** Branch of the main tasks (flow level afterExecution). */
  mainBranch?: TaskRun['branch'];
}

export type ScopeResult = { done: false } | { done: true; state: State };

/** What a pass over the children found, and whether it started something (`running`). */
export interface Tally {
  running: boolean;
  /** Main tasks left unstarted: a failure or a kill stopped them, or a Dag dependency never met. */
  pending: boolean;
  anyFailed: boolean;
  mainState: State;
  errorRuns: TaskRun[];
  finallyRuns: TaskRun[];
}

const TERMINAL: Partial<Record<State, boolean>> = Object.fromEntries(
  ['KILLED', 'SUCCESS', 'WARNING', 'FAILED', 'RETRIED', 'CANCELLED', 'SKIPPED'].map((s) => [s, true]),
);
/** Ended, as the lanes count it (RESTARTED is not: such a child runs again). */
export const laneEnded = (s: State): boolean => TERMINAL[s] === true;
export const isFailedEnd = (s: State): boolean => s === 'FAILED' || s === 'KILLED' || s === 'CANCELLED';

export const laneLength = (spec: ScopeSpec, lane: number): number =>
  spec.uniformLaneLength ?? spec.laneTasks(lane).length;

/** Starts task `pos` of `lane` (re-running its RESTARTED task run, if any). */
export const startLane = (
  step: Step,
  parent: TaskRun | undefined,
  spec: ScopeSpec,
  lane: number,
  pos: number,
  existing: TaskRun | undefined,
): void => {
  startTask(step, spec.laneTasks(lane)[pos]!, parent, {
    value: spec.laneValue?.(lane),
    iteration: spec.laneIteration?.(lane),
    existing,
    branch: spec.mainBranch,
  });
};

/** Runs a sequence (errors, finally) to its end. */
export const runSequence = (
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

let summaries = true;
/** Off: every scope is scanned whole. For tests that compare summaries with whole scans. */
export const useScopeSummaries = (on: boolean): void => {
  summaries = on;
};

export const advanceScope = (step: Step, parent: TaskRun | undefined, spec: ScopeSpec): ScopeResult => {
  const incremental =
    summaries && spec.cacheKey !== undefined && !spec.filter && !spec.ready && spec.mainBranch === undefined;
  return conclude(
    step,
    parent,
    spec,
    incremental ? advanceLanes(step, parent, spec) : scanScope(step, parent, spec),
  );
};

/** With nothing running any more: the errors branch, then finally, then the parent's final state. */
const conclude = (step: Step, parent: TaskRun | undefined, spec: ScopeSpec, t: Tally): ScopeResult => {
  if (t.running) return { done: false };
  // Once the errors or finally branch started, the main tasks are over (even if some were reset).
  const mainOver = t.errorRuns.length > 0 || t.finallyRuns.length > 0;
  const killing = step.exec.state.current === 'KILLING';
  let failed = t.anyFailed || (t.pending && !killing && !mainOver && canStart(step, spec.mainBranch));
  if (mainOver && t.errorRuns.length > 0) failed = true;
  if (failed && !killing && spec.errors && spec.errors.length > 0) {
    if (runSequence(step, parent, spec.errors, t.errorRuns, 'errors') === 'running') return { done: false };
  }
  let finallyFailed = false;
  if (spec.finally && spec.finally.length > 0 && !killing) {
    const r = runSequence(step, parent, spec.finally, t.finallyRuns, 'finally');
    if (r === 'running') return { done: false };
    finallyFailed = r === 'failed';
  }
  if (killing) return { done: true, state: 'KILLED' };
  let state = t.mainState;
  if (failed || finallyFailed) state = worst(state, 'FAILED');
  return { done: true, state };
};

/** Task positions by id, per task list (the lists are the flow's own, memoised by `enabled`). */
const positions = new WeakMap<Task[], Map<string, number>>();
const positionsOf = (tasks: Task[]): Map<string, number> => {
  let pos = positions.get(tasks);
  if (!pos) {
    pos = new Map(tasks.map((t, i) => [t.id, i]));
    positions.set(tasks, pos);
  }
  return pos;
};

/** One lane running `tasks` in order (Sequential, AllowFailure, WorkingDirectory, If, Switch...). */
export const sequenceSpec = (tasks: Task[], extra: Partial<ScopeSpec> = {}): ScopeSpec => {
  const pos = positionsOf(tasks);
  return {
    laneCount: 1,
    laneTasks: () => tasks,
    locate: (c) => pos.get(c.taskId) ?? -1,
    width: Math.max(1, tasks.length),
    concurrency: 1,
    cacheKey: tasks,
    ...extra,
  };
};

/** One lane per task (Parallel, Dag). */
export const parallelSpec = (
  tasks: Task[],
  concurrency: number,
  extra: Partial<ScopeSpec> = {},
): ScopeSpec => {
  const pos = positionsOf(tasks);
  const lanes = tasks.map((t) => [t]);
  return {
    laneCount: tasks.length,
    laneTasks: (l) => lanes[l]!,
    locate: (c) => pos.get(c.taskId) ?? -1,
    width: 1,
    concurrency,
    cacheKey: tasks,
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
  const pos = positionsOf(tasks);
  const width = Math.max(1, tasks.length);
  return {
    laneCount: values.length,
    laneTasks: () => tasks,
    uniformLaneLength: tasks.length,
    cacheKey: values,
    laneValue: (l) => values[l],
    laneIteration: (l) => l,
    locate: (c) => {
      const p = pos.get(c.taskId);
      return p === undefined || c.iteration === undefined ? -1 : c.iteration * width + p;
    },
    width,
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
  const pos = positionsOf(tasks);
  const lanes = tasks.map((t) => [t]);
  return {
    laneCount: values.length * k,
    laneTasks: (l) => lanes[l % k]!,
    laneValue: (l) => values[Math.floor(l / k)],
    laneIteration: (l) => Math.floor(l / k),
    locate: (c) => {
      const p = pos.get(c.taskId);
      return p === undefined || c.iteration === undefined ? -1 : c.iteration * k + p;
    },
    width: 1,
    concurrency,
    cacheKey: values,
    ...extra,
  };
};
