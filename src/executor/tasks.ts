/** Task lookup in a flow and the task types the executor resolves itself (flowables, subflows). */
import type { Flow, Task } from '../flow/types.ts';
import { canonicalType, findDefinition } from '../tasks/registry.ts';

const P = 'io.kestra.plugin.core.flow.';
export const T = {
  sequential: `${P}Sequential`,
  parallel: `${P}Parallel`,
  if: `${P}If`,
  switch: `${P}Switch`,
  forEach: `${P}ForEach`,
  eachSequential: `${P}EachSequential`,
  eachParallel: `${P}EachParallel`,
  dag: `${P}Dag`,
  allowFailure: `${P}AllowFailure`,
  subflow: `${P}Subflow`,
  flow: `${P}Flow`,
  forEachItem: `${P}ForEachItem`,
  pause: `${P}Pause`,
  waitFor: `${P}WaitFor`,
  loopUntil: `${P}LoopUntil`,
  workingDirectory: `${P}WorkingDirectory`,
  loop: `${P}Loop`,
  /** Kestra's ExecutionUpdatableTask: run by the executor, they change the execution itself. */
  setVariables: 'io.kestra.plugin.core.execution.SetVariables',
  unsetVariables: 'io.kestra.plugin.core.execution.UnsetVariables',
  /** Internal ForEachItem children (Kestra's inner classes). The split and merge jobs run on a worker. */
  forEachItemSplit: `${P}ForEachItem$ForEachItemSplit`,
  forEachItemExecutable: `${P}ForEachItem$ForEachItemExecutable`,
  forEachItemMerge: `${P}ForEachItem$ForEachItemMergeOutputs`,
} as const;

/** Types resolved by the executor (never dispatched to a worker). */
const EXECUTOR_TYPES = new Set<string>([
  T.sequential,
  T.parallel,
  T.if,
  T.switch,
  T.forEach,
  T.eachSequential,
  T.eachParallel,
  T.dag,
  T.allowFailure,
  T.subflow,
  T.flow,
  T.forEachItem,
  T.pause,
  T.waitFor,
  T.loopUntil,
  T.workingDirectory,
  T.loop,
  T.setVariables,
  T.unsetVariables,
  T.forEachItemExecutable,
]);

/** Canonical name of a task type (aliases resolved through the registry; unknown names kept). */
export const canonical = (type: string): string => {
  if (EXECUTOR_TYPES.has(type)) return type;
  const c = canonicalType(type);
  if (c) return c;
  // Legacy package names, in case the registry does not list an alias.
  if (type.startsWith('io.kestra.core.tasks.flows.'))
    return P + type.slice('io.kestra.core.tasks.flows.'.length);
  return type;
};

export const isExecutorTask = (task: Task): boolean => {
  const c = canonical(task.type);
  if (EXECUTOR_TYPES.has(c)) return true;
  // A flowable the executor has no handler for still belongs to the executor (it fails it).
  return findDefinition(task.type)?.kind === 'flowable';
};

const CHILD_LISTS = ['tasks', 'errors', 'finally', 'then', 'else', 'defaults', 'afterExecution'];

const isTask = (v: unknown): v is Task =>
  !!v && typeof v === 'object' && typeof (v as Task).id === 'string' && typeof (v as Task).type === 'string';

const visitChildren = (task: Task, visit: (t: Task) => void): void => {
  for (const key of CHILD_LISTS) {
    const list = task[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (isTask(item)) visit(item);
      else if (item && typeof item === 'object' && isTask((item as { task?: unknown }).task))
        visit((item as { task: Task }).task);
    }
  }
  const cases = task.cases;
  if (cases && typeof cases === 'object' && !Array.isArray(cases)) {
    for (const list of Object.values(cases as Record<string, unknown>))
      if (Array.isArray(list)) for (const item of list) if (isTask(item)) visit(item);
  }
};

const taskMaps = new WeakMap<Flow, Map<string, Task>>();

/** Every task of a flow by id, at any depth (tasks, errors, finally, afterExecution). */
export const flowTaskMap = (flow: Flow): Map<string, Task> => {
  let map = taskMaps.get(flow);
  if (map) return map;
  map = new Map();
  const m = map;
  const walk = (t: Task): void => {
    if (!m.has(t.id)) m.set(t.id, t);
    if (canonical(t.type) === T.forEachItem) for (const inner of forEachItemTasks(t)) m.set(inner.id, inner);
    visitChildren(t, walk);
  };
  for (const list of [flow.tasks, flow.errors, flow.finally, flow.afterExecution])
    for (const t of list ?? []) walk(t);
  taskMaps.set(flow, map);
  return map;
};

/** The task with this id anywhere in the flow. Internal ForEachItem children resolve to synthetic tasks. */
export const findTaskInFlow = (flow: Flow, taskId: string): Task | undefined => flowTaskMap(flow).get(taskId);

/** Enabled tasks of a list (disabled tasks leave no task run at all). */
export const enabled = (list: unknown): Task[] => {
  if (!Array.isArray(list)) return [];
  // Memoised per list, like `flowTaskMap` (flows are not changed once loaded): a step of a large flow
  // would otherwise filter all its tasks, and the same array each time lets scopes keep their summary
  // of the children (see decide/lanes.ts).
  let out = enabledLists.get(list);
  if (!out) {
    out = list.filter((t) => isTask(t) && t.disabled !== true) as Task[];
    enabledLists.set(list, out);
  }
  return out;
};
const enabledLists = new WeakMap<unknown[], Task[]>();

/**
 * The internal children of a ForEachItem task (Kestra's inner classes, ids `<id>_split`, `<id>_items`,
 * `<id>_merge`):
 * - split (runnable job): reads the file `items` and writes batches of `batch.rows` lines (or
 *   `batch.partitions` batches, or `batch.bytes`) to internal storage; outputs `splits`: the batch
 *   URIs (list of strings, in order).
 * - items (executor): one subflow execution per batch (`taskrun.items` = batch URI, `taskrun.iteration`
 *   = batch number from 1); outputs `numberOfBatches`, `iterations` (child executions by state).
 * - merge (runnable job, with `wait` true or false, as in Kestra): reads the flow outputs of the child
 *   executions started by the `items` task run (executions whose parent task run is it) and writes them
 *   as one JSON object per line to internal storage; outputs `subflowOutputs` (its URI), or nothing when
 *   no child has outputs (always so without `wait`).
 */
export const forEachItemTasks = (task: Task): Task[] => {
  const { id, type: _type, errors: _e, finally: _f, retry: _r, timeout: _t, runIf: _ri, ...props } = task;
  return [
    { id: `${id}_split`, type: T.forEachItemSplit, items: task.items, batch: task.batch },
    { ...props, id: `${id}_items`, type: T.forEachItemExecutable },
    {
      id: `${id}_merge`,
      type: T.forEachItemMerge,
      namespace: task.namespace,
      flowId: task.flowId,
      wait: task.wait !== false,
    },
  ];
};
