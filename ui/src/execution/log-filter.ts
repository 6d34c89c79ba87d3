/** Which log lines show: at or above a level, containing a text (any case), of a task run. */
import { LOG_LEVELS, type LogEntry, type LogLevel } from '../api/logs.ts';

export interface LogFilter {
  minLevel: LogLevel;
  text: string;
  taskRunId?: string;
}

const rank = (level: LogLevel): number => LOG_LEVELS.indexOf(level);

export const matchesLog = (filter: LogFilter): ((line: LogEntry) => boolean) => {
  const min = rank(filter.minLevel);
  const needle = filter.text.trim().toLowerCase();
  return (line) =>
    rank(line.level) >= min &&
    (filter.taskRunId === undefined || line.taskRunId === filter.taskRunId) &&
    (needle === '' ||
      line.message.toLowerCase().includes(needle) ||
      (line.taskId?.toLowerCase().includes(needle) ?? false));
};

export const filterLogs = (lines: readonly LogEntry[], filter: LogFilter): LogEntry[] =>
  lines.filter(matchesLog(filter));
