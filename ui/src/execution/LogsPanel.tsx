/**
 * The execution's logs, followed as they are written (lines of one animation frame added together),
 * filtered by level, text and task run, in a windowed list that stays at the bottom while following.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { followLogs, LOG_LEVELS, type LogEntry, type LogLevel } from '../api/logs.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { frameBatcher } from './frame-batch.ts';
import { filterLogs } from './log-filter.ts';
import { useWindow } from './windowing.ts';

/** Line height in pixels, fixed for the windowing (matches `.log-line` in execution.css). */
const LINE_HEIGHT = 22;

export interface LogsPanelProps {
  executionId: string;
  /** Changes when the execution runs again (restart): the logs are read again from the start. */
  generation: number;
  taskRunId?: string | undefined;
  onClearTaskRun?: () => void;
}

const time = (iso: string) => iso.slice(11, 23);

export const LogsPanel = ({ executionId, generation, taskRunId, onClearTaskRun }: LogsPanelProps) => {
  const [lines, setLines] = useState<LogEntry[]>([]);
  const [error, setError] = useState<unknown>();
  const [minLevel, setMinLevel] = useState<LogLevel>('TRACE');
  const [text, setText] = useState('');
  const [stick, setStick] = useState(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation reads the logs again
  useEffect(() => {
    const controller = new AbortController();
    setLines([]);
    const batch = frameBatcher<LogEntry>((more) => setLines((l) => l.concat(more)));
    followLogs(executionId, batch.push, controller.signal).then(batch.flush, (err: unknown) => {
      if (!controller.signal.aborted) setError(err);
    });
    return () => {
      controller.abort();
      batch.cancel();
    };
  }, [executionId, generation]);

  const shown = useMemo(
    () => filterLogs(lines, { minLevel, text, ...(taskRunId ? { taskRunId } : {}) }),
    [lines, minLevel, text, taskRunId],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const win = useWindow(scroller, shown.length, LINE_HEIGHT);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new lines move a followed log to its end
  useEffect(() => {
    const el = scroller.current;
    if (stick && el) el.scrollTop = el.scrollHeight;
  }, [shown.length, stick]);

  return (
    <section aria-label="Logs" className="logs">
      <div className="row logs-toolbar">
        <label>
          Level{' '}
          <select
            className="input"
            value={minLevel}
            onChange={(e) => setMinLevel(e.target.value as LogLevel)}
          >
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l} and above
              </option>
            ))}
          </select>
        </label>
        <label>
          Search{' '}
          <input
            className="input"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="text or task id"
          />
        </label>
        <label>
          <input type="checkbox" checked={stick} onChange={(e) => setStick(e.target.checked)} /> Follow
        </label>
        {taskRunId ? (
          <span className="tag">
            task run <span className="mono">{taskRunId}</span>{' '}
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={onClearTaskRun}
              aria-label="Show all task runs"
            >
              ✕
            </button>
          </span>
        ) : null}
        <span className="spacer" />
        <span className="muted" role="status">
          {shown.length} of {lines.length} lines
        </span>
      </div>
      <ErrorMessage error={error} />
      <div
        className="log-scroll"
        ref={scroller}
        // Focusable so the keyboard scrolls it.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region needs the focus to scroll by keys
        tabIndex={0}
        role="log"
        aria-label="Log lines"
        onWheel={(e) => {
          // Scrolling up stops following; the checkbox starts it again.
          if (e.deltaY < 0) setStick(false);
        }}
      >
        <div style={{ height: win.before }} />
        {shown.slice(win.start, win.end).map((line, i) => (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: lines only ever append; position is identity
            key={win.start + i}
            className={`log-line level-${line.level}`}
            data-level={line.level}
            title={line.message}
          >
            <span className="log-time">{time(line.timestamp)}</span>
            <span className="log-level">{line.level}</span>
            <span className="log-task">{line.taskId ?? ''}</span>
            <span className="log-message">{line.message}</span>
          </div>
        ))}
        <div style={{ height: win.after }} />
      </div>
    </section>
  );
};
