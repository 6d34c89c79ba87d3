/** Logs of an execution (Kestra's LogEntry): the list so far, then followed as lines are written. */
import { request } from './client.ts';
import { readEvents } from './sse.ts';

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

export interface LogEntry {
  timestamp: string;
  level: LogLevel;
  message: string;
  taskId?: string;
  taskRunId?: string;
  attemptNumber?: number;
}

const path = (id: string) => `/logs/${encodeURIComponent(id)}`;

export const getLogs = (id: string, minLevel?: LogLevel) =>
  request<LogEntry[]>(path(id), { query: { minLevel } });

/**
 * Follows the logs from the first line until the execution ended and its last lines came; each line
 * goes to `onLine`. Resolves when the server ends the stream; abort with `signal`.
 */
export const followLogs = (id: string, onLine: (line: LogEntry) => void, signal: AbortSignal) =>
  readEvents(`${path(id)}/follow`, signal, (event) => {
    if (event.event === 'progress' || event.id === 'progress') onLine(JSON.parse(event.data) as LogEntry);
  });
