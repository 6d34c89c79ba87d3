/**
 * The Gantt timeline of an execution, laid out without the DOM: task runs in tree order (children under
 * their parent, indented), each with its whole span and its attempts as bars placed in percent of the
 * execution's time span. Running task runs end at `now`.
 */
import type { State, StateType, TaskRun } from '../api/types.ts';

export interface GanttBar {
  /** Percent of the span from the left. */
  left: number;
  /** Percent of the span; never below MIN_WIDTH so an instant run stays visible. */
  width: number;
  state: StateType;
}

export interface GanttRow {
  taskRun: TaskRun;
  depth: number;
  span: GanttBar;
  attempts: GanttBar[];
}

export interface GanttLayout {
  start: number;
  end: number;
  rows: GanttRow[];
}

/** Narrowest bar (percent): a task run of one millisecond in an hour-long execution still shows. */
export const MIN_WIDTH = 0.4;

const startOf = (s: State): number => Date.parse(s.startDate);
const endOf = (s: State, now: number): number => (s.endDate ? Date.parse(s.endDate) : now);

/** Task runs parents first, each followed by its children, in the list's order otherwise. */
export const treeOrder = (taskRuns: readonly TaskRun[]): { taskRun: TaskRun; depth: number }[] => {
  const ids = new Set(taskRuns.map((tr) => tr.id));
  const children = new Map<string, TaskRun[]>();
  const roots: TaskRun[] = [];
  for (const tr of taskRuns) {
    if (tr.parentTaskRunId && ids.has(tr.parentTaskRunId)) {
      const list = children.get(tr.parentTaskRunId);
      if (list) list.push(tr);
      else children.set(tr.parentTaskRunId, [tr]);
    } else roots.push(tr);
  }
  const out: { taskRun: TaskRun; depth: number }[] = [];
  // Iterative: a deep nesting cannot overflow the stack.
  const stack: { taskRun: TaskRun; depth: number }[] = roots
    .map((taskRun) => ({ taskRun, depth: 0 }))
    .reverse();
  while (stack.length > 0) {
    const item = stack.pop()!;
    out.push(item);
    const kids = children.get(item.taskRun.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ taskRun: kids[i]!, depth: item.depth + 1 });
  }
  return out;
};

export const ganttLayout = (
  taskRuns: readonly TaskRun[],
  execution: State,
  now: number = Date.now(),
): GanttLayout => {
  let start = startOf(execution);
  let end = endOf(execution, now);
  for (const tr of taskRuns) {
    start = Math.min(start, startOf(tr.state));
    end = Math.max(end, endOf(tr.state, now));
  }
  const total = Math.max(1, end - start);
  const bar = (s: State): GanttBar => {
    const left = ((startOf(s) - start) / total) * 100;
    const width = Math.max(MIN_WIDTH, ((endOf(s, now) - startOf(s)) / total) * 100);
    return {
      left: Math.min(left, 100 - MIN_WIDTH),
      width: Math.min(width, 100 - Math.min(left, 100 - MIN_WIDTH)),
      state: s.current,
    };
  };
  const rows = treeOrder(taskRuns).map(({ taskRun, depth }) => ({
    taskRun,
    depth,
    span: bar(taskRun.state),
    attempts: taskRun.attempts.map((a) => bar(a.state)),
  }));
  return { start, end, rows };
};

/** States that say something is still going or went wrong win over a plain success, in this order. */
const PRIORITY: StateType[] = [
  'FAILED',
  'KILLED',
  'RUNNING',
  'KILLING',
  'PAUSED',
  'RETRYING',
  'CREATED',
  'WARNING',
];

/**
 * One state per task id, for the topology: a task run many times (ForEach values) shows its most
 * telling state (a failure over a running one over a success).
 */
export const stateByTaskId = (taskRuns: readonly TaskRun[]): Map<string, StateType> => {
  const out = new Map<string, StateType>();
  for (const tr of taskRuns) {
    const seen = out.get(tr.taskId);
    const rank = (s: StateType | undefined) =>
      s === undefined ? 99 : PRIORITY.indexOf(s) < 0 ? 50 : PRIORITY.indexOf(s);
    if (seen === undefined || rank(tr.state.current) < rank(seen)) out.set(tr.taskId, tr.state.current);
  }
  return out;
};
