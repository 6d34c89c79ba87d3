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

/** Task runs as an indented tree, children under their parent, in creation order; failure reasons under. */
export const treeLines = (
  execution: Execution,
  color: boolean,
  reasons: ReadonlyMap<string, string> = new Map(),
): string[] => {
  const children = new Map<string | undefined, TaskRun[]>();
  for (const t of execution.taskRuns) {
    const list = children.get(t.parentTaskRunId) ?? [];
    list.push(t);
    children.set(t.parentTaskRunId, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const t of children.get(parent) ?? []) {
      const state = t.state.current;
      const painted = color && COLORS[state] ? `${COLORS[state]}${state}${RESET}` : state;
      const attempts = t.attempts.length > 1 ? ` (${t.attempts.length} attempts)` : '';
      lines.push(
        `${'  '.repeat(depth)}${label(t).padEnd(Math.max(1, 34 - depth * 2))} ${painted.padEnd(color ? 19 : 10)} ${duration(t.state)}${attempts}`,
      );
      const reason = reasons.get(t.id);
      if (reason)
        lines.push(
          `${'  '.repeat(depth + 1)}${color ? COLORS.FAILED : ''}↳ ${oneLine(reason)}${color ? RESET : ''}`,
        );
      walk(t.id, depth + 1);
    }
  };
  walk(undefined, 1);
  return lines;
};

/** A reason on one line, short enough for a terminal row. */
const oneLine = (text: string): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

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
  let drawn = 0;
  const reasons = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    if (!last) return;
    const lines = [
      `${last.namespace}.${last.flowId}  ${last.id}  ${last.state.current}  ${duration(last.state)}`,
      ...treeLines(last, true, reasons),
    ];
    const rows = process.stdout.rows ?? 40;
    const shown =
      lines.length > rows - 1 ? [...lines.slice(0, rows - 2), `  … ${lines.length - rows + 2} more`] : lines;
    process.stdout.write(
      `${drawn > 0 ? `\x1b[${drawn}A` : ''}${shown.map((l) => `\x1b[2K${l}`).join('\n')}\n`,
    );
    drawn = shown.length;
  };
  return {
    start(e) {
      id = e.id;
      last = e;
      draw();
    },
    attempt(previous, next) {
      // The finished attempt's tree stays on screen; the new attempt is drawn below it.
      id = next.id;
      last = next;
      drawn = 0;
      out(retryLine(previous, next));
      draw();
    },
    update(e) {
      if (e.id !== id) return;
      last = e;
      timer ??= setTimeout(draw, REDRAW_MS);
    },
    explain(t, reason) {
      reasons.set(t.id, reason);
      timer ??= setTimeout(draw, REDRAW_MS);
    },
    finish(e) {
      if (timer) clearTimeout(timer);
      last = e;
      draw();
      printOutputs(e, out);
    },
  };
};

const retryLine = (previous: Execution, next: Execution): string =>
  `execution ${previous.id} RETRIED: flow retry, attempt ${next.attemptNumber} is execution ${next.id}`;

const isDone = (s: State) =>
  !['CREATED', 'RUNNING', 'QUEUED', 'PAUSED', 'RETRYING', 'KILLING', 'RESTARTED'].includes(s);
