/**
 * The summary of a scope's children (see scope.ts), kept in the task-run index under the parent and
 * brought up to date on each call from the children created since (the parent's child list only grows)
 * and those written since (the index lists them for the summary): a call costs what changed and what it
 * starts, never the number of children. It counts exactly what a scan of all the children would
 * (scan.ts); a change it cannot count (an ended child changing again: restart, forced state) makes the
 * index drop it, and the next call counts the children again from scratch.
 */
import type { State, TaskRun } from '../../execution/types.ts';
import { type ChildrenSummary, ROOT } from '../run-index.ts';
import { worst } from '../state.ts';
import type { Step } from '../step.ts';
import { canStart } from './lifecycle.ts';
import { isFailedEnd, laneEnded, laneLength, type ScopeSpec, startLane, type Tally } from './scope.ts';

/** How a child counts. A main child goes from ACTIVE to ENDED, or from RESTARTED to either. */
const OTHER = 0; // no lane's: an unknown task, a lane out of range, a branch other than errors/finally
const ACTIVE = 1;
const ENDED = 2;
const RESTARTED = 3; // reset by a restart: re-run when its lane gets to it
const ERRORS = 4;
const FINALLY = 5;

export class LaneSummary implements ChildrenSummary {
  readonly key: object;
  readonly n: number;
  readonly width: number;
  changed: string[] = [];
  /** How many of the children (in creation order) are counted. */
  private seen = 0;
  /** Kind of each counted child plus one (0: not counted), by its position in the task-run array. */
  private kinds = new Uint8Array(64);
  /** Per lane: position of its furthest task started, children not ended, whether one failed. */
  readonly lastPos: Int32Array;
  private readonly running: Int32Array;
  private readonly failed: Uint8Array;
  /** Per lane: it holds a concurrency slot (a child running, or part-way through its tasks). */
  private readonly active: Uint8Array;
  activeLanes = 0;
  /** Lanes part-way through: a task ended without failure, the next one not started. */
  readonly partWay = new Set<number>();
  runningChildren = 0;
  anyFailed = false;
  mainState: State = 'SUCCESS';
  readonly errorIds: string[] = [];
  readonly finallyIds: string[] = [];
  /** RESTARTED children, by packed lane position. */
  readonly restarted = new Map<number, string>();
  /** Every lane before it has started or has no tasks: where the next lane to start is looked for. */
  cursor = 0;

  constructor(spec: ScopeSpec) {
    this.key = spec.cacheKey!;
    this.n = spec.laneCount;
    this.width = spec.width;
    this.lastPos = new Int32Array(this.n).fill(-1);
    this.running = new Int32Array(this.n);
    this.failed = new Uint8Array(this.n);
    this.active = new Uint8Array(this.n);
  }

  fits(spec: ScopeSpec): boolean {
    return this.key === spec.cacheKey && this.n === spec.laneCount && this.width === spec.width;
  }

  /** Counts the children created or written since the last call; false when one cannot be counted. */
  update(step: Step, ids: readonly string[], spec: ScopeSpec): boolean {
    const touched: number[] = [];
    const pos = step.idx.pos;
    for (; this.seen < ids.length; this.seen++) {
      const id = ids[this.seen]!;
      this.count(spec, step.get(id)!, pos.get(id)!, touched);
    }
    const changed = this.changed;
    this.changed = [];
    for (const id of changed) {
      const at = pos.get(id)!;
      // Not counted yet: a child created after this summary, counted just above with its latest state.
      if (this.kinds[at] && !this.count(spec, step.get(id)!, at, touched)) return false;
    }
    for (const lane of touched) this.settle(spec, lane);
    return true;
  }

  private classify(spec: ScopeSpec, c: TaskRun): number {
    if (c.branch !== undefined)
      return c.branch === 'errors' ? ERRORS : c.branch === 'finally' ? FINALLY : OTHER;
    const packed = spec.locate(c);
    if (packed < 0 || Math.floor(packed / this.width) >= this.n) return OTHER;
    const s = c.state.current;
    return s === 'RESTARTED' ? RESTARTED : laneEnded(s) ? ENDED : ACTIVE;
  }

  private count(spec: ScopeSpec, c: TaskRun, at: number, touched: number[]): boolean {
    if (at >= this.kinds.length) {
      const grown = new Uint8Array(Math.max(at + 1, this.kinds.length * 2));
      grown.set(this.kinds);
      this.kinds = grown;
    }
    const prev = this.kinds[at]! - 1;
    const kind = this.classify(spec, c);
    if (prev === kind) return true;
    if (prev !== -1 && prev !== RESTARTED && !(prev === ACTIVE && kind === ENDED)) return false;
    this.kinds[at] = kind + 1;
    if (kind === ERRORS) this.errorIds.push(c.id);
    else if (kind === FINALLY) this.finallyIds.push(c.id);
    if (kind === OTHER || kind === ERRORS || kind === FINALLY) return true;
    const packed = spec.locate(c);
    const lane = Math.floor(packed / this.width);
    if (prev === ACTIVE) {
      this.running[lane]!--;
      this.runningChildren--;
    } else if (prev === RESTARTED) this.restarted.delete(packed);
    if (kind === RESTARTED) {
      this.restarted.set(packed, c.id);
      return true;
    }
    const inLane = packed - lane * this.width;
    if (inLane > this.lastPos[lane]!) this.lastPos[lane] = inLane;
    const s = c.state.current;
    if (kind === ACTIVE) {
      this.running[lane]!++;
      this.runningChildren++;
    } else if (isFailedEnd(s)) {
      this.failed[lane] = 1;
      this.anyFailed = true;
    }
    if (s !== 'SUCCESS') this.mainState = worst(this.mainState, s);
    touched.push(lane);
    return true;
  }

  /** Whether the lane is part-way through and whether it holds a slot, after its children changed. */
  private settle(spec: ScopeSpec, lane: number): void {
    const last = this.lastPos[lane]!;
    const partWay =
      this.failed[lane] === 0 && this.running[lane] === 0 && last >= 0 && last + 1 < laneLength(spec, lane);
    if (partWay) this.partWay.add(lane);
    else this.partWay.delete(lane);
    const active = this.running[lane]! > 0 || partWay ? 1 : 0;
    if (active !== this.active[lane]) {
      this.activeLanes += active ? 1 : -1;
      this.active[lane] = active;
    }
  }
}

const summaryOf = (step: Step, parent: TaskRun | undefined, spec: ScopeSpec): LaneSummary => {
  const key = parent?.id ?? ROOT;
  const ids = step.idx.childIds(parent?.id);
  const kept = step.idx.summaries.get(key);
  if (kept instanceof LaneSummary && kept.fits(spec) && kept.update(step, ids, spec)) return kept;
  const fresh = new LaneSummary(spec);
  step.idx.summaries.set(key, fresh);
  fresh.update(step, ids, spec);
  return fresh;
};

/** One call of the scope: starts what may start now and says what the children are at. */
export const advanceLanes = (step: Step, parent: TaskRun | undefined, spec: ScopeSpec): Tally => {
  const s = summaryOf(step, parent, spec);
  const startable =
    canStart(step, spec.mainBranch) && !s.anyFailed && s.errorIds.length === 0 && s.finallyIds.length === 0;
  let running = s.runningChildren > 0;
  let pending = false;
  let active = s.activeLanes;
  const start = (lane: number, pos: number): void => {
    const existing = s.restarted.get(lane * s.width + pos);
    startLane(step, parent, spec, lane, pos, existing === undefined ? undefined : step.get(existing));
    running = true;
  };
  // Lanes part-way through go on (they hold their slot already), in lane order as a scan would.
  if (s.partWay.size > 0) {
    if (!startable) pending = true;
    else for (const lane of [...s.partWay].sort((a, b) => a - b)) start(lane, s.lastPos[lane]! + 1);
  }
  // Then lanes not started yet, in order, as long as slots are free.
  while (s.cursor < s.n) {
    const lane = s.cursor;
    if (s.lastPos[lane]! >= 0 || laneLength(spec, lane) === 0) {
      s.cursor++;
      continue;
    }
    if (!startable || (spec.concurrency > 0 && active >= spec.concurrency)) {
      pending = true;
      break;
    }
    start(lane, 0);
    active++;
    s.cursor++;
  }
  const runs = (ids: string[]) => ids.map((id) => step.get(id)!);
  return {
    running,
    pending,
    anyFailed: s.anyFailed,
    mainState: s.mainState,
    errorRuns: runs(s.errorIds),
    finallyRuns: runs(s.finallyIds),
  };
};
