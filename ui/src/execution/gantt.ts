/**
 * The Gantt timeline of an execution, laid out without the DOM: task runs in tree order (children under
 * their parent, indented), each with its whole span and its attempts as bars placed in percent of the
 * execution's time span. Running ones end at `now`.
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
export const treeOrder = (taskRuns: readonly TaskRun[]): GanttRow[] => {
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
  const out: GanttRow[] = [];
  // Iterative: a deep nesting cannot overflow the stack.
  const stack: GanttRow[] = roots.map((taskRun) => ({ taskRun, depth: 0 })).reverse();
  while (stack.length > 0) {
    const item = stack.pop()!;
    out.push(item);
    const kids = children.get(item.taskRun.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ taskRun: kids[i]!, depth: item.depth + 1 });
  }
  return out;
};

/**
 * The rows in tree order and the time span (the execution's: task runs run inside it). Bars are placed
 * by `barsOf` for the rows on screen only: with 10,000 task runs an update costs a tree walk, not
 * 20,000 date parses.
 */
export const ganttLayout = (
  taskRuns: readonly TaskRun[],
  execution: State,
  now: number = Date.now(),
): GanttLayout => {
  const start = startOf(execution);
  const end = Math.max(start + 1, endOf(execution, now));
  return { start, end, rows: treeOrder(taskRuns) };
};

/** A state's bar in percent of the span, clamped inside it, never narrower than MIN_WIDTH. */
export const barOf = (
  s: State,
  layout: Pick<GanttLayout, 'start' | 'end'>,
  now: number = Date.now(),
): GanttBar => {
  const total = layout.end - layout.start;
  const from = Math.max(layout.start, startOf(s));
  const to = Math.min(layout.end, Math.max(from, endOf(s, now)));
  const left = Math.min(100 - MIN_WIDTH, ((from - layout.start) / total) * 100);
  const width = Math.min(100 - left, Math.max(MIN_WIDTH, ((to - from) / total) * 100));
  return { left, width, state: s.current };
};

export const barsOf = (
  taskRun: TaskRun,
  layout: Pick<GanttLayout, 'start' | 'end'>,
  now: number = Date.now(),
): { span: GanttBar; attempts: GanttBar[] } => ({
  span: barOf(taskRun.state, layout, now),
  attempts: taskRun.attempts.map((a) => barOf(a.state, layout, now)),
});

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
