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
  /** Lane of a main child times LANE_WIDTH plus its position in the lane's tasks; -1 when it belongs to none. */
  locate: (child: TaskRun) => number;
  /** Dag: whether a lane may start, given which lanes ended without failure. */
  ready?: (lane: number, succeeded: (lane: number) => boolean) => boolean;
  /** Lanes running at once; 0 = no limit. */
  concurrency: number;
  /** Length shared by every lane (loops), to spare a call per lane. */
  uniformLaneLength?: number;
  /** Set for loops: ended children are folded once into a summary cached under the parent. */
  cacheKey?: object;
  errors?: Task[];
  finally?: Task[];
  /** Only children matching this are part of the scope (WaitFor: the current iteration). */
  filter?: (tr: TaskRun) => boolean;
  /** Branch of the main tasks (flow level afterExecution). */
  mainBranch?: TaskRun['branch'];
}

export type ScopeResult = { done: false } | { done: true; state: State };

/** Most tasks a lane may hold (lane and position are packed in one number to keep the scan allocation-free). */
export const LANE_WIDTH = 4096;
const RUNNING = 1;
const FAILED = 2;

const TERMINAL: Partial<Record<State, boolean>> = Object.fromEntries(
  ['KILLED', 'SUCCESS', 'WARNING', 'FAILED', 'RETRIED', 'CANCELLED', 'SKIPPED'].map((s) => [s, true]),
);

const isFailedEnd = (s: State): boolean => s === 'FAILED' || s === 'KILLED' || s === 'CANCELLED';

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

export const advanceScope = (step: Step, parent: TaskRun | undefined, spec: ScopeSpec): ScopeResult => {
  const n = spec.laneCount;
  const errorRuns: TaskRun[] = [];
  const finallyRuns: TaskRun[] = [];
  const restarted = new Map<number, TaskRun>();
  const lanePos = (lane: number, pos: number): number => lane * LANE_WIDTH + pos;
  const runs = step.idx.runs;
  const pos = step.idx.pos;
  const ids = step.idx.childIds(parent?.id);
  const parentKey = parent?.id ?? '';
  const laneLen = (lane: number): number => spec.uniformLaneLength ?? spec.laneTasks(lane).length;
  // Children that ended are folded once into a per-parent summary (see ScanCache); only the rest is
  // scanned on each call.
  let cache = spec.cacheKey !== undefined && !spec.filter ? step.idx.scanCache.get(parentKey) : undefined;
  if (
    spec.cacheKey !== undefined &&
    !spec.filter &&
    (!cache || cache.key !== spec.cacheKey || cache.n !== n)
  ) {
    cache = {
      key: spec.cacheKey,
      n,
      scanned: 0,
      lastPos: new Int32Array(n).fill(-1),
      flags: new Uint8Array(n),
      mainState: 'SUCCESS',
      anyFailed: false,
      maxStarted: -1,
      firstOpen: 0,
    };
    step.idx.scanCache.set(parentKey, cache);
  }
  let i = 0;
  if (cache) {
    for (i = cache.scanned; i < ids.length; i++) {
      const c = runs[pos.get(ids[i]!)!]!;
      const s = c.state.current;
      if (c.branch !== spec.mainBranch || !TERMINAL[s]) break;
      const packed = spec.locate(c);
      if (packed >= 0) {
        const lane = Math.floor(packed / LANE_WIDTH);
        const at = packed - lane * LANE_WIDTH;
        if (lane < n) {
          if (at > cache.lastPos[lane]!) cache.lastPos[lane] = at;
          if (lane > cache.maxStarted) cache.maxStarted = lane;
          if (isFailedEnd(s)) {
            cache.flags[lane]! |= FAILED;
            cache.anyFailed = true;
          }
          if (s !== 'SUCCESS') cache.mainState = worst(cache.mainState, s);
        }
      }
    }
    cache.scanned = i;
    const c = cache;
    while (
      c.firstOpen < n &&
      (c.flags[c.firstOpen]! & FAILED || c.lastPos[c.firstOpen]! + 1 >= laneLen(c.firstOpen)) &&
      c.lastPos[c.firstOpen]! >= 0
    )
      c.firstOpen++;
  }
  const lastPos = cache ? cache.lastPos.slice() : new Int32Array(n).fill(-1);
  const flags = cache ? cache.flags.slice() : new Uint8Array(n);
  let mainState: State = cache ? cache.mainState : 'SUCCESS';
  let anyFailed = cache ? cache.anyFailed : false;
  let maxStarted = cache ? cache.maxStarted : -1;
  const firstOpen = cache ? cache.firstOpen : 0;
  let anyRunning = false;
  for (; i < ids.length; i++) {
    const c = runs[pos.get(ids[i]!)!]!;
    if (spec.filter && !spec.filter(c)) continue;
    if (c.branch !== spec.mainBranch) {
      // The flow level's afterExecution scope shares its parent (none) with the flow's errors and finally
      // runs: those belong to the main scope, not to it.
      if (spec.mainBranch !== undefined) continue;
      if (c.branch === 'errors') errorRuns.push(c);
      else if (c.branch === 'finally') finallyRuns.push(c);
      continue;
    }
    const packed = spec.locate(c);
    if (packed < 0) continue;
    const lane = Math.floor(packed / LANE_WIDTH);
    const at = packed - lane * LANE_WIDTH;
    if (lane >= n) continue;
    const s = c.state.current;
    if (s === 'RESTARTED') {
      restarted.set(packed, c);
      continue;
    }
    if (at > lastPos[lane]!) lastPos[lane] = at;
    if (lane > maxStarted) maxStarted = lane;
    if (!TERMINAL[s]) {
      flags[lane]! |= RUNNING;
      anyRunning = true;
    } else if (isFailedEnd(s)) {
      flags[lane]! |= FAILED;
      anyFailed = true;
    }
    if (s !== 'SUCCESS') mainState = worst(mainState, s);
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
  // Lanes after the last started one are all fresh: collect only as many as could start.
  const enough = spec.ready || spec.concurrency === 0 ? Number.POSITIVE_INFINITY : spec.concurrency + 1;
  for (let lane = firstOpen; lane < n; lane++) {
    if (lane > maxStarted && fresh.length >= enough) {
      pending = true;
      break;
    }
    const f = flags[lane]!;
    const last = lastPos[lane]!;
    if (f & RUNNING) active++;
    else if (f & FAILED) continue;
    else if (last >= 0 && last + 1 < laneLen(lane)) {
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
    locate: (c) => pos.get(c.taskId) ?? -1,
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
      return l === undefined ? -1 : l * LANE_WIDTH;
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
    uniformLaneLength: tasks.length,
    cacheKey: values,
    laneValue: (l) => values[l],
    laneIteration: (l) => l,
    locate: (c) => {
      const p = pos.get(c.taskId);
      return p === undefined || c.iteration === undefined ? -1 : c.iteration * LANE_WIDTH + p;
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
      return p === undefined || c.iteration === undefined ? -1 : (c.iteration * k + p) * LANE_WIDTH;
    },
    concurrency,
    ...extra,
  };
};
