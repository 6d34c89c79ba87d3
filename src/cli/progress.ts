/**
 * Live progress of `baton run`: a redrawn tree of task runs on a terminal, one plain line per task-run
 * state change otherwise, JSON lines with `--json`.
 */
import type { Execution, State, TaskRun } from '../execution/types.ts';
import { maskSealed } from '../secrets/seal.ts';

export interface Progress {
  start(execution: Execution): void;
  /** A flow retry created `next` as a new attempt of `previous`: follow it from now on. */
  attempt(previous: Execution, next: Execution): void;
  update(execution: Execution, changed: TaskRun[]): void;
  /** Why a task run failed (its last ERROR log line), shown under it. */
  explain(taskRun: TaskRun, reason: string): void;
  finish(execution: Execution): void;
}

const COLORS: Partial<Record<State, string>> = {
  SUCCESS: '\x1b[32m',
  WARNING: '\x1b[33m',
  FAILED: '\x1b[31m',
  KILLED: '\x1b[31m',
  RUNNING: '\x1b[36m',
  PAUSED: '\x1b[35m',
  RETRYING: '\x1b[33m',
};
const RESET = '\x1b[0m';
/** Redraws at most this often: a terminal cannot show faster, and a 10k-item loop would flood it. */
const REDRAW_MS = 100;

export const duration = (s: {
  startDate: string;
  endDate?: string;
  histories: { date: string }[];
}): string => {
  const start = Date.parse(s.startDate);
  const end = s.endDate ? Date.parse(s.endDate) : Date.parse(s.histories.at(-1)?.date ?? s.startDate);
  const ms = Math.max(0, (Number.isNaN(end) ? Date.now() : end) - start);
  return ms < 1000
    ? `${ms}ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(2)}s`
      : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
};

const label = (t: TaskRun): string => (t.value === undefined ? t.taskId : `${t.taskId} [${t.value}]`);

const treeLine = (t: TaskRun, depth: number, color: boolean): string => {
  const state = t.state.current;
  const painted = color && COLORS[state] ? `${COLORS[state]}${state}${RESET}` : state;
  const attempts = t.attempts.length > 1 ? ` (${t.attempts.length} attempts)` : '';
  return `${'  '.repeat(depth)}${label(t).padEnd(Math.max(1, 34 - depth * 2))} ${painted.padEnd(color ? 19 : 10)} ${duration(t.state)}${attempts}`;
};

/** A reason on one line, short enough for a terminal row. */
const oneLine = (text: string): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

/** Task runs as an indented tree, children under their parent, in creation order; failure reasons under. */
export const treeLines = (
  execution: Execution,
  color: boolean,
  reasons: ReadonlyMap<string, string> = new Map(),
): string[] => new LiveTree(execution).lines(color, Number.POSITIVE_INFINITY, reasons);

/**
 * The task-run tree of the execution being shown, kept up to date from the task runs each step changed:
 * a redraw costs the lines on screen, not the size of the execution (100,000 task runs of a ForEach
 * would otherwise be regrouped and formatted ten times a second).
 */
class LiveTree {
  private readonly byId = new Map<string, TaskRun>();
  private readonly children = new Map<string | undefined, string[]>();

  constructor(execution: Execution) {
    for (const t of execution.taskRuns) this.put(t);
  }

  get size(): number {
    return this.byId.size;
  }

  put(t: TaskRun): void {
    if (!this.byId.has(t.id)) {
      const list = this.children.get(t.parentTaskRunId);
      if (list) list.push(t.id);
      else this.children.set(t.parentTaskRunId, [t.id]);
    }
    this.byId.set(t.id, t);
  }

  /** The first `max` lines of the tree, with the reason of each failed task run under it. */
  lines(color: boolean, max: number, reasons: ReadonlyMap<string, string> = new Map()): string[] {
    const lines: string[] = [];
    const walk = (parent: string | undefined, depth: number) => {
      for (const id of this.children.get(parent) ?? []) {
        if (lines.length >= max) return;
        const t = this.byId.get(id)!;
        lines.push(treeLine(t, depth, color));
        const reason = reasons.get(t.id);
        if (reason && lines.length < max)
          lines.push(
            `${'  '.repeat(depth + 1)}${color ? COLORS.FAILED : ''}↳ ${oneLine(reason)}${color ? RESET : ''}`,
          );
        walk(t.id, depth + 1);
      }
    };
    walk(undefined, 1);
    return lines;
  }
}

/** Sealed values (secrets, SECRET outputs) are shown as `******` (see src/secrets/seal.ts). */
const printOutputs = (execution: Execution, write: (s: string) => void) => {
  if (execution.outputs && Object.keys(execution.outputs).length > 0) {
    write('outputs:');
    for (const [k, v] of Object.entries(maskSealed(execution.outputs)))
      write(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
};

export const createProgress = (opts: { json: boolean; tty: boolean }): Progress => {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  let id: string | undefined;
  if (opts.json) {
    return {
      start(e) {
        id = e.id;
        out(
          JSON.stringify({
            type: 'execution',
            id: e.id,
            namespace: e.namespace,
            flowId: e.flowId,
            state: e.state.current,
            attempt: e.attemptNumber,
          }),
        );
      },
      attempt(_previous, next) {
        this.start(next);
      },
      explain(t, reason) {
        out(
          JSON.stringify({ type: 'taskRunError', id: t.id, taskId: t.taskId, value: t.value, error: reason }),
        );
      },
      update(e, changed) {
        if (e.id !== id) return;
        for (const t of changed)
          out(
            JSON.stringify({
              type: 'taskRun',
              id: t.id,
              taskId: t.taskId,
              value: t.value,
              state: t.state.current,
              attempts: t.attempts.length,
            }),
          );
      },
      finish(e) {
        out(
          JSON.stringify({
            type: 'result',
            id: e.id,
            state: e.state.current,
            attempt: e.attemptNumber,
            duration: duration(e.state),
            outputs: maskSealed(e.outputs ?? {}),
          }),
        );
      },
    };
  }
  if (!opts.tty) {
    const seen = new Map<string, State>();
    return {
      start(e) {
        id = e.id;
        out(`execution ${e.id} of ${e.namespace}.${e.flowId} created`);
      },
      attempt(previous, next) {
        id = next.id;
        out(retryLine(previous, next));
      },
      explain(_t, reason) {
        out(`    ↳ ${oneLine(reason)}`);
      },
      update(e, changed) {
        if (e.id !== id) return;
        for (const t of changed) {
          if (seen.get(t.id) === t.state.current) continue;
          seen.set(t.id, t.state.current);
          out(
            `${new Date().toISOString().slice(11, 23)} ${label(t)} ${t.state.current}${isDone(t.state.current) ? ` ${duration(t.state)}` : ''}`,
          );
        }
      },
      finish(e) {
        out(`execution ${e.id} ${e.state.current} in ${duration(e.state)}`);
        printOutputs(e, out);
      },
    };
  }
  let last: Execution | undefined;
  let tree: LiveTree | undefined;
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const reasons = new Map<string, string>();
  const follow = (e: Execution) => {
    last = e;
    tree = new LiveTree(e);
  };
  const draw = () => {
    timer = undefined;
    if (!last || !tree) return;
    const rows = process.stdout.rows ?? 40;
    const header = `${last.namespace}.${last.flowId}  ${last.id}  ${last.state.current}  ${duration(last.state)}`;
    const total = 1 + tree.size;
    const shown =
      total > rows - 1
        ? [header, ...tree.lines(true, rows - 3, reasons), `  … ${total - rows + 2} more`]
        : [header, ...tree.lines(true, total + reasons.size, reasons)];
    process.stdout.write(
      `${drawn > 0 ? `\x1b[${drawn}A` : ''}${shown.map((l) => `\x1b[2K${l}`).join('\n')}\n`,
    );
    drawn = shown.length;
  };
  return {
    start(e) {
      id = e.id;
      follow(e);
      draw();
    },
    attempt(previous, next) {
      // The finished attempt's tree stays on screen; the new attempt is drawn below it.
      id = next.id;
      follow(next);
      drawn = 0;
      out(retryLine(previous, next));
      draw();
    },
    update(e, changed) {
      if (e.id !== id || !tree) return;
      last = e;
      for (const t of changed) tree.put(t);
      // A step taken before `start` is not in the tree: then it is built again, once.
      if (tree.size !== e.taskRuns.length) tree = new LiveTree(e);
      timer ??= setTimeout(draw, REDRAW_MS);
    },
    explain(t, reason) {
      reasons.set(t.id, reason);
      timer ??= setTimeout(draw, REDRAW_MS);
    },
    finish(e) {
      if (timer) clearTimeout(timer);
      follow(e);
      draw();
      printOutputs(e, out);
    },
  };
};

const retryLine = (previous: Execution, next: Execution): string =>
  `execution ${previous.id} RETRIED: flow retry, attempt ${next.attemptNumber} is execution ${next.id}`;

const isDone = (s: State) =>
  !['CREATED', 'RUNNING', 'QUEUED', 'PAUSED', 'RETRYING', 'KILLING', 'RESTARTED'].includes(s);
