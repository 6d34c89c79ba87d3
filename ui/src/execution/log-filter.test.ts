import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../api/logs.ts';
import { filterLogs } from './log-filter.ts';

const line = (level: LogEntry['level'], message: string, taskId?: string, taskRunId?: string): LogEntry => ({
  timestamp: '2026-01-01T00:00:00.000Z',
  level,
  message,
  ...(taskId ? { taskId } : {}),
  ...(taskRunId ? { taskRunId } : {}),
});

const LINES = [
  line('DEBUG', 'connecting', 'fetch', 'tr1'),
  line('INFO', 'Fetched 3 rows', 'fetch', 'tr1'),
  line('WARN', 'slow answer', 'load', 'tr2'),
  line('ERROR', 'Load FAILED: disk full', 'load', 'tr2'),
  line('TRACE', 'tick'),
];

describe('filterLogs', () => {
  it('keeps lines at or above the level', () => {
    expect(filterLogs(LINES, { minLevel: 'TRACE', text: '' })).toHaveLength(5);
    expect(filterLogs(LINES, { minLevel: 'WARN', text: '' }).map((l) => l.level)).toEqual(['WARN', 'ERROR']);
    expect(filterLogs(LINES, { minLevel: 'ERROR', text: '' })).toHaveLength(1);
  });

  it('searches the message and the task id, in any case, with the level', () => {
    expect(filterLogs(LINES, { minLevel: 'TRACE', text: 'failed' }).map((l) => l.message)).toEqual([
      'Load FAILED: disk full',
    ]);
    expect(filterLogs(LINES, { minLevel: 'TRACE', text: '  FETCH ' })).toHaveLength(2);
    expect(filterLogs(LINES, { minLevel: 'INFO', text: 'fetch' })).toHaveLength(1);
    expect(filterLogs(LINES, { minLevel: 'TRACE', text: 'nowhere' })).toEqual([]);
  });

  it('keeps one task run when asked', () => {
    expect(filterLogs(LINES, { minLevel: 'TRACE', text: '', taskRunId: 'tr2' })).toHaveLength(2);
  });
});
