/**
 * A scope's children scanned whole on each call, in per-lane typed arrays: for the scopes that keep no
 * summary (Dag, whose lanes start in any order; WaitFor, which looks at one iteration; the flow's
 * afterExecution). Their children are few. Same rules as the summary of lanes.ts.
 */
import type { State, TaskRun } from '../../execution/types.ts';
import { worst } from '../state.ts';
import type { Step } from '../step.ts';
import { canStart } from './lifecycle.ts';
import { isFailedEnd, laneEnded, laneLength, type ScopeSpec, startLane, type Tally } from './scope.ts';

const RUNNING = 1;
const FAILED = 2;

export const scanScope = (step: Step, parent: TaskRun | undefined, spec: ScopeSpec): Tally => {
  const n = spec.laneCount;
  const w = spec.width;
  const errorRuns: TaskRun[] = [];
  const finallyRuns: TaskRun[] = [];
  const restarted = new Map<number, TaskRun>();
  const lastPos = new Int32Array(n).fill(-1);
  const flags = new Uint8Array(n);
  let mainState: State = 'SUCCESS';
  let anyFailed = false;
  let anyRunning = false;
  for (const id of step.idx.childIds(parent?.id)) {
    const c = step.get(id)!;
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
    const lane = Math.floor(packed / w);
    const at = packed - lane * w;
    if (lane >= n) continue;
    const s = c.state.current;
    if (s === 'RESTARTED') {
      restarted.set(packed, c);
      continue;
    }
    if (at > lastPos[lane]!) lastPos[lane] = at;
    if (!laneEnded(s)) {
      flags[lane]! |= RUNNING;
      anyRunning = true;
    } else if (isFailedEnd(s)) {
      flags[lane]! |= FAILED;
      anyFailed = true;
    }
    if (s !== 'SUCCESS') mainState = worst(mainState, s);
  }
  const mainOver = errorRuns.length > 0 || finallyRuns.length > 0;
  const startable = canStart(step, spec.mainBranch) && !anyFailed && !mainOver;
  let running = anyRunning;
  let pending = false;
  const start = (lane: number, pos: number): void => {
    startLane(step, parent, spec, lane, pos, restarted.get(lane * w + pos));
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
    else if (last >= 0 && last + 1 < laneLength(spec, lane)) {
      active++;
      if (startable) start(lane, last + 1);
      else pending = true;
    } else if (last < 0) fresh.push(lane);
  }
  const succeeded = (lane: number): boolean =>
    flags[lane] === 0 && lastPos[lane]! + 1 >= laneLength(spec, lane) && laneLength(spec, lane) > 0;
  for (const lane of fresh) {
    if (laneLength(spec, lane) === 0) continue;
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
  return { running, pending, anyFailed, mainState, errorRuns, finallyRuns };
};
