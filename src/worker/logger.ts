/**
 * The per-job logger: collects log entries and metrics, drops entries below the task's `logLevel`,
 * masks secret values, and hands batches to the worker (flushed with the result, and periodically for
 * long tasks so that `baton logs --follow` shows progress).
 */
import type { LogEntry, LogLevel, MetricEntry } from '../execution/types.ts';
import { LOG_LEVELS } from '../execution/types.ts';
import type { TaskLogger } from '../tasks/types.ts';

export const MASK = '******';

/** Replaces every known secret value in text by `******`. Longest first, so overlapping values mask whole. */
export class SecretMasker {
  private values: string[] = [];

  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    // Masking one- or two-character values would shred every message and reveal the secret by elimination.
    if (text.length < 3 || this.values.includes(text)) return;
    this.values.push(text);
    this.values.sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(MASK);
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

export class JobLogger implements TaskLogger {
  private logs: LogEntry[] = [];
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
    this.logs.push({
      ...this.id,
      level,
      message: this.masker.mask(message),
      timestamp: new Date().toISOString(),
    });
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
