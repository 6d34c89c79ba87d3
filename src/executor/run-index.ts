/**
 * Indexes over an execution's task runs: by id, children by parent, the set of unfinished flowable task
 * runs, and the `outputs` variable map. Built once per task-run array and then kept up to date
 * incrementally by the reducer, so that one step costs what changed, not the size of the execution
 * (a ForEach over 10,000 values would otherwise make a run quadratic).
 *
 * The reducer writes the task-run array in place: a step neither copies it (O(n) per step) nor changes
 * its identity, so the index cached under it stays found by everything that reads the execution later
 * (the worker building a task's render context would otherwise rebuild the index for every job). A step
 * that throws is undone from a journal, so the execution it was given is left as it was.
 */
import type { TaskRun } from '../execution/types.ts';
import { isTerminal } from '../execution/types.ts';

export const ROOT = '';

/**
 * A summary a parent keeps of its children (decide/lanes.ts) so that a step does not rescan them: the
 * index lists in `changed` the children written since the summary last looked.
 */
export interface ChildrenSummary {
  changed: string[];
}

export class RunIndex {
  /** Working copy of the task runs, in creation order. */
  runs: TaskRun[];
  readonly pos = new Map<string, number>();
  readonly children = new Map<string, string[]>();
  /** Unfinished task runs of flowable tasks (and subflows), which the executor itself resolves. */
  readonly activeFlowables = new Set<string>();
  /** Summaries of children by parent task run id (ROOT: the flow level). */
  readonly summaries = new Map<string, ChildrenSummary>();
  /** Direct children of a Loop task run by iteration (`<loop id>/<index>`): the roots of an iteration. */
  readonly iterationRoots = new Map<string, string[]>();
  private outputsMap?: Record<string, unknown>;
  private tasksMap?: TasksMap;
  private readonly isFlowable: (tr: TaskRun) => boolean;
  /** During a step: the length of `runs` and the task runs replaced, to undo a step that throws. */
  private journal?: { length: number; replaced: [number, TaskRun][] };

  /** Indexes `runs`, which it then owns: `put` writes into this very array. */
  constructor(runs: TaskRun[], isFlowable: (tr: TaskRun) => boolean) {
    this.isFlowable = isFlowable;
    this.runs = runs;
    for (let i = 0; i < this.runs.length; i++) this.register(this.runs[i]!, i);
  }

  /** Starts a reducer step: what it writes can be undone by `rollbackStep` until `endStep`. */
  beginStep(): void {
    this.journal = { length: this.runs.length, replaced: [] };
  }

  endStep(): void {
    this.journal = undefined;
  }

  /**
   * Puts the task-run array back as it was at `beginStep`. The other structures are not undone: the
   * caller drops this index (`dropIndex`), and the next reader rebuilds one from the restored array.
   */
  rollbackStep(): void {
    const j = this.journal;
    if (!j) return;
    for (let k = j.replaced.length - 1; k >= 0; k--) {
      const [i, tr] = j.replaced[k]!;
      if (i < j.length) this.runs[i] = tr;
    }
    this.runs.length = j.length;
    this.journal = undefined;
  }

  private register(tr: TaskRun, i: number): void {
    this.pos.set(tr.id, i);
    const key = tr.parentTaskRunId ?? ROOT;
    let list = this.children.get(key);
    if (!list) {
      list = [];
      this.children.set(key, list);
    }
    list.push(tr.id);
    if (tr.loopItem && tr.parentTaskRunId) {
      const k = iterationKey(tr.parentTaskRunId, tr.loopItem.index);
      const roots = this.iterationRoots.get(k);
      if (roots) roots.push(tr.id);
      else this.iterationRoots.set(k, [tr.id]);
    }
    this.trackActive(tr);
  }

  private trackActive(tr: TaskRun): void {
    if (!isTerminal(tr.state.current) && this.isFlowable(tr)) this.activeFlowables.add(tr.id);
    else this.activeFlowables.delete(tr.id);
  }

  get(id: string): TaskRun | undefined {
    const i = this.pos.get(id);
    return i === undefined ? undefined : this.runs[i];
  }

  /** Ids of the children, in creation order (not a copy: do not modify). */
  childIds(parentId: string | undefined): readonly string[] {
    return this.children.get(parentId ?? ROOT) ?? [];
  }

  childrenOf(parentId: string | undefined): TaskRun[] {
    const ids = this.children.get(parentId ?? ROOT);
    if (!ids) return [];
    const out: TaskRun[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = this.runs[this.pos.get(ids[i]!)!]!;
    return out;
  }

  /** Adds or replaces a task run. */
  put(tr: TaskRun): void {
    const i = this.pos.get(tr.id);
    const before = i === undefined ? undefined : this.runs[i];
    if (i === undefined) {
      this.runs.push(tr);
      this.register(tr, this.runs.length - 1);
    } else {
      this.journal?.replaced.push([i, before!]);
      this.runs[i] = tr;
      this.trackActive(tr);
      const parentKey = tr.parentTaskRunId ?? ROOT;
      const summary = this.summaries.get(parentKey);
      // An ended child changing again (restart, reset, forced state) invalidates its parent's summary.
      if (before && isTerminal(before.state.current) && before.state.current !== tr.state.current)
        this.summaries.delete(parentKey);
      else summary?.changed.push(tr.id);
    }
    if (this.outputsMap && tr.outputs && tr.outputs !== before?.outputs) this.addOutputs(this.outputsMap, tr);
    if (this.tasksMap && tr.state.current !== before?.state.current)
      this.tasksMap.set(tr, this.pos.get(tr.id)!);
  }

  /** Ancestors, nearest first. */
  ancestors(tr: TaskRun): TaskRun[] {
    const out: TaskRun[] = [];
    let cur = tr.parentTaskRunId ? this.get(tr.parentTaskRunId) : undefined;
    while (cur) {
      out.push(cur);
      cur = cur.parentTaskRunId ? this.get(cur.parentTaskRunId) : undefined;
    }
    return out;
  }

  /** Kestra's `tasks` variable (see TasksMap), built once and then kept up to date by `put`. */
  tasks(): Record<string, unknown> {
    if (!this.tasksMap) {
      const map = new TasksMap();
      for (let i = 0; i < this.runs.length; i++) map.set(this.runs[i]!, i);
      this.tasksMap = map;
    }
    return this.tasksMap.root;
  }

  /** Whether the task run is inside a Loop iteration (its outputs stay in the iteration's scope). */
  inLoop(tr: TaskRun): boolean {
    if (tr.loopItem) return true;
    for (const a of this.ancestors(tr)) if (a.loopItem) return true;
    return false;
  }

  /**
   * The outputs of one Loop iteration, keyed as `outputs()` keys them but from below the loop: what
   * tasks of that iteration see as `outputs`. Nested loops keep their own iterations' outputs.
   */
  iterationOutputs(loopRunId: string, index: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const visit = (id: string, keys: string[]): void => {
      const tr = this.get(id);
      if (!tr) return;
      if (tr.outputs) addKeyed(map, tr, keys);
      if (this.childIds(id).length === 0) return;
      // A nested Loop's iterations are its own scope: only the nested Loop's outputs show here.
      if (this.iterationRoots.size > 0 && this.isLoopParent(id)) return;
      const next = tr.value !== undefined ? [...keys, tr.value] : keys;
      for (const c of this.childIds(id)) visit(c, next);
    };
    for (const id of this.iterationRoots.get(iterationKey(loopRunId, index)) ?? []) visit(id, []);
    return map;
  }

  private isLoopParent(id: string): boolean {
    const first = this.get(this.childIds(id)[0]!);
    return first?.loopItem !== undefined;
  }

  /**
   * Kestra's `outputs` variable: taskId → outputs, or for task runs under loops taskId → value of each
   * valued ancestor (outermost first) → own value → outputs.
   */
  outputs(): Record<string, unknown> {
    if (!this.outputsMap) {
      const map: Record<string, unknown> = {};
      for (const tr of this.runs) if (tr.outputs) this.addOutputs(map, tr);
      this.outputsMap = map;
    }
    return this.outputsMap;
  }

  private addOutputs(map: Record<string, unknown>, tr: TaskRun): void {
    // Outputs of tasks inside a Loop iteration are seen only inside it (Kestra runs each iteration as
    // an isolated sub-execution); the Loop's own `outputs` collects what should leave it.
    if (tr.loopItem) return;
    const keys: string[] = [];
    for (const a of this.ancestors(tr)) {
      if (a.loopItem) return;
      if (a.value !== undefined) keys.push(a.value);
    }
    keys.reverse();
    addKeyed(map, tr, keys);
  }
}

export const iterationKey = (loopRunId: string, index: number): string => `${loopRunId}/${index}`;

/** Puts `tr`'s outputs at taskId → each of `keys` → own value (when valued). */
const addKeyed = (map: Record<string, unknown>, tr: TaskRun, keys: string[]): void => {
  const outputs = tr.outputs!;
  if (keys.length === 0 && tr.value === undefined) {
    map[tr.taskId] = outputs;
    return;
  }
  let cur = obj(map, tr.taskId);
  for (const k of keys) cur = obj(cur, k);
  if (tr.value !== undefined) cur[tr.value] = outputs;
  else Object.assign(cur, outputs);
};

/**
 * Kestra's `tasks` variable: taskId → `{state}` for task runs without value, taskId → value → `{state}`
 * for those with one. Like Kestra (which folds the task runs in order), the latest task run in creation
 * order wins when several have the same key; `pos` is the task run's position, to keep that rule when an
 * older task run changes state after a newer one.
 */
class TasksMap {
  readonly root: Record<string, Record<string, unknown>> = {};
  /** Position of the task run each entry comes from: by task id, then by value for valued task runs. */
  private readonly owner = new Map<string, number>();
  private readonly valuedOwner = new Map<string, Map<string, number>>();

  set(tr: TaskRun, pos: number): void {
    let owners = this.owner;
    let key = tr.taskId;
    if (tr.value !== undefined) {
      // Nested rather than one `taskId + value` key: no new string per write.
      owners = this.valuedOwner.get(tr.taskId) ?? new Map<string, number>();
      this.valuedOwner.set(tr.taskId, owners);
      key = tr.value;
    }
    const prev = owners.get(key);
    if (prev !== undefined && prev > pos) return;
    owners.set(key, pos);
    let entry = this.root[tr.taskId];
    if (!entry) {
      entry = {};
      this.root[tr.taskId] = entry;
    }
    if (tr.value === undefined) entry.state = tr.state.current;
    else entry[tr.value] = { state: tr.state.current };
  }
}

const obj = (parent: Record<string, unknown>, key: string): Record<string, unknown> => {
  const v = parent[key];
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    // Copy once so that task run outputs objects are never mutated by later merges.
    if (!(v as { [OWN]?: boolean })[OWN]) {
      const copy = { ...(v as Record<string, unknown>) };
      Object.defineProperty(copy, OWN, { value: true, enumerable: false });
      parent[key] = copy;
      return copy;
    }
    return v as Record<string, unknown>;
  }
  const fresh: Record<string, unknown> = {};
  Object.defineProperty(fresh, OWN, { value: true, enumerable: false });
  parent[key] = fresh;
  return fresh;
};
const OWN = Symbol('index-owned');

const caches = new WeakMap<readonly TaskRun[], RunIndex>();

/**
 * The index of a task-run array, cached under the array; built (O(n)) the first time an array is seen.
 * The array then belongs to the index: `reduce` updates both in place.
 */
export const indexFor = (runs: readonly TaskRun[], isFlowable: (tr: TaskRun) => boolean): RunIndex => {
  let idx = caches.get(runs);
  if (!idx) {
    idx = new RunIndex(runs as TaskRun[], isFlowable);
    caches.set(runs, idx);
  }
  return idx;
};

/** Forgets the index of an array (after a failed step left it half-updated). */
export const dropIndex = (runs: readonly TaskRun[]): void => {
  caches.delete(runs);
};
