/**
 * The per-job logger: collects log entries and metrics, drops entries below the task's `logLevel`,
 * masks secret values, and hands batches to the worker (flushed with the result, and periodically for
 * long tasks so that `baton logs --follow` shows progress).
 */
import type { LogEntry, LogLevel, MetricEntry } from '../execution/types.ts';
import { LOG_LEVELS } from '../execution/types.ts';
import { MASK, MIN_SECRET_LENGTH } from '../secrets/seal.ts';
import type { TaskLogger } from '../tasks/types.ts';

export { MASK };

/** Replaces every known secret value in text by `******`. Longest first, so overlapping values mask whole. */
export class SecretMasker {
  private list: string[] = [];

  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length < MIN_SECRET_LENGTH || this.list.includes(text)) return;
    this.list.push(text);
    this.list.sort((a, b) => b.length - a.length);
  }

  /** The values masked (what the worker seals in outputs and reports as seen by the attempt). */
  get values(): readonly string[] {
    return this.list;
  }

  mask(text: string): string {
    let out = text;
    for (const v of this.list) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }
}

export interface JobLogIdentity {
  executionId: string;
  taskRunId: string;
  taskId: string;
  attemptNumber: number;
  namespace: string;
  flowId: string;
}

/**
 * Log limits per task run attempt. A script printing 50 MB would otherwise become half a million rows
 * that every later reader (`baton logs`, the UI) pays for; past the cap lines are counted, not stored.
 */
export const LOG_LIMITS = {
  /** Characters kept of one line; the rest is cut with a note of how much. */
  maxLineLength: 10_000,
  /** Characters stored per attempt, all lines together. */
  maxBytes: 8 * 1024 * 1024,
};

export class JobLogger implements TaskLogger {
  private logs: LogEntry[] = [];
  private stored = 0;
  private dropped = { lines: 0, chars: 0 };
  private metrics: MetricEntry[] = [];
  private readonly minRank: number;
  readonly masker: SecretMasker;
  private readonly id: JobLogIdentity;

  constructor(id: JobLogIdentity, masker: SecretMasker, minLevel: LogLevel = 'TRACE') {
    this.id = id;
    this.masker = masker;
    this.minRank = LOG_LEVELS.indexOf(minLevel);
  }

  log(level: LogLevel, message: string): void {
    if (LOG_LEVELS.indexOf(level) < this.minRank) return;
    let text = this.masker.mask(message);
    if (text.length > LOG_LIMITS.maxLineLength) {
      const cut = text.length - LOG_LIMITS.maxLineLength;
      text = `${text.slice(0, LOG_LIMITS.maxLineLength)}… [${cut} more characters cut]`;
    }
    if (this.stored + text.length > LOG_LIMITS.maxBytes) {
      if (this.dropped.lines === 0) {
        this.push(
          'WARN',
          `log limit of ${LOG_LIMITS.maxBytes} characters reached: further lines are dropped`,
        );
      }
      this.dropped.lines++;
      this.dropped.chars += text.length;
      return;
    }
    this.stored += text.length;
    this.push(level, text);
  }

  /** A line the log limit never drops (why the attempt failed). */
  logAlways(level: LogLevel, message: string): void {
    this.push(level, this.masker.mask(message).slice(0, LOG_LIMITS.maxLineLength));
  }

  private push(level: LogLevel, message: string): void {
    this.logs.push({ ...this.id, level, message, timestamp: new Date().toISOString() });
  }

  /** Ends the attempt's log: says what the cap dropped, if anything. */
  close(): void {
    if (this.dropped.lines > 0) {
      this.push(
        'WARN',
        `${this.dropped.lines} log line(s) (${this.dropped.chars} characters) were dropped by the log limit`,
      );
      this.dropped = { lines: 0, chars: 0 };
    }
  }
  trace(message: string): void {
    this.log('TRACE', message);
  }
  debug(message: string): void {
    this.log('DEBUG', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warn(message: string): void {
    this.log('WARN', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }

  metric(
    name: string,
    value: number,
    type: MetricEntry['type'] = 'counter',
    tags: Record<string, string> = {},
  ): void {
    this.metrics.push({
      executionId: this.id.executionId,
      taskRunId: this.id.taskRunId,
      taskId: this.id.taskId,
      name,
      type,
      value,
      tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, this.masker.mask(v)])),
      timestamp: new Date().toISOString(),
    });
  }

  /** Takes the entries collected so far (the caller writes them). */
  drainLogs(): LogEntry[] {
    const out = this.logs;
    this.logs = [];
    return out;
  }

  drainMetrics(): MetricEntry[] {
    const out = this.metrics;
    this.metrics = [];
    return out;
  }

  get pendingLogs(): number {
    return this.logs.length;
  }
}
