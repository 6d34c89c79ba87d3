/**
 * The task runs of an execution as a Gantt chart: one row per task run (children indented under their
 * parent) with its state, attempts and duration, and its span and attempts as bars on the execution's
 * timeline. Windowed: 10,000 task runs put only the rows in view in the DOM. Arrow keys move the
 * selection; the selected task run's details show beside.
 */
import { type KeyboardEvent, memo, useMemo, useRef } from 'react';
import type { State, TaskRun } from '../api/types.ts';
import { StateBadge } from '../components/StateBadge.tsx';
import { formatDuration } from './duration.ts';
import { barsOf, type GanttLayout, type GanttRow, ganttLayout } from './gantt.ts';
import { useWindow } from './windowing.ts';

/** Row height in pixels: fixed, for the windowing (matches `.gantt tbody tr` in execution.css). */
export const ROW_HEIGHT = 34;

export interface TaskRunTimelineProps {
  taskRuns: readonly TaskRun[];
  state: State;
  selected: string | undefined;
  onSelect: (taskRunId: string) => void;
  /** Time "now" for running bars (tests fix it). */
  now?: number;
}

interface RowProps {
  row: GanttRow;
  span: Pick<GanttLayout, 'start' | 'end'>;
  now: number | undefined;
  selected: boolean;
  onSelect: (id: string) => void;
}

const Row = memo(({ row, span: time, now, selected, onSelect }: RowProps) => {
  const tr = row.taskRun;
  const { span, attempts } = barsOf(tr, time, now);
  return (
    <tr
      id={`taskrun-${tr.id}`}
      data-task={tr.taskId}
      data-taskrun={tr.id}
      aria-selected={selected}
      className={selected ? 'selected' : undefined}
      onClick={() => onSelect(tr.id)}
    >
      <td className="mono task-cell" style={{ paddingLeft: 8 + row.depth * 16 }} title={tr.taskId}>
        {tr.taskId}
        {tr.value !== undefined ? <span className="muted"> {tr.value}</span> : null}
      </td>
      <td>
        <StateBadge state={tr.state.current} />
      </td>
      <td className="num">{tr.attempts.length}</td>
      <td className="num">{formatDuration(tr.state.duration)}</td>
      <td className="bars" aria-hidden="true">
        <div className="bar-track">
          <div
            className={`bar span state-bg-${span.state}`}
            style={{ left: `${span.left}%`, width: `${span.width}%` }}
          />
          {attempts.length > 1
            ? attempts.map((a, i) => (
                <div
                  // biome-ignore lint/suspicious/noArrayIndexKey: attempts are numbered by position
                  key={i}
                  className={`bar attempt state-bg-${a.state}`}
                  style={{ left: `${a.left}%`, width: `${a.width}%` }}
                  title={`attempt ${i + 1}: ${a.state}`}
                />
              ))
            : null}
        </div>
      </td>
    </tr>
  );
});

export const TaskRunTimeline = ({ taskRuns, state, selected, onSelect, now }: TaskRunTimelineProps) => {
  const layout = useMemo(() => ganttLayout(taskRuns, state, now), [taskRuns, state, now]);
  const scroller = useRef<HTMLDivElement>(null);
  const win = useWindow(scroller, layout.rows.length, ROW_HEIGHT);
  const index = selected ? layout.rows.findIndex((r) => r.taskRun.id === selected) : -1;

  const onKeyDown = (e: KeyboardEvent) => {
    const last = layout.rows.length - 1;
    const next =
      e.key === 'ArrowDown'
        ? Math.min(last, index + 1)
        : e.key === 'ArrowUp'
          ? Math.max(0, index - 1)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : e.key === 'PageDown'
                ? Math.min(last, index + 10)
                : e.key === 'PageUp'
                  ? Math.max(0, index - 10)
                  : -1;
    if (next < 0 || last < 0) return;
    e.preventDefault();
    onSelect(layout.rows[next]!.taskRun.id);
    win.scrollToRow(next);
  };

  const total = layout.end - layout.start;
  return (
    <div className="gantt-scroll" ref={scroller} data-testid="task-runs">
      <table
        className="table gantt"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: ARIA's grid pattern on a data table (arrow keys move the selection)
        role="grid"
        tabIndex={0}
        aria-label={`Task runs (${layout.rows.length}); arrow keys choose one`}
        aria-rowcount={layout.rows.length + 1}
        aria-activedescendant={selected ? `taskrun-${selected}` : undefined}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">
              Timeline <span className="muted">({formatDuration(`PT${(total / 1000).toFixed(3)}S`)})</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {win.before > 0 ? (
            <tr className="spacer">
              <td colSpan={5} style={{ height: win.before, padding: 0 }} />
            </tr>
          ) : null}
          {layout.rows.slice(win.start, win.end).map((row) => (
            <Row
              key={row.taskRun.id}
              row={row}
              span={layout}
              now={now}
              selected={row.taskRun.id === selected}
              onSelect={onSelect}
            />
          ))}
          {win.after > 0 ? (
            <tr className="spacer">
              <td colSpan={5} style={{ height: win.after, padding: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
};
