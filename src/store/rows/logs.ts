/** Rows of the `logs` and `metrics` tables as both backends read them, and their mapping. */
import { LOG_LEVELS, type LogLevel, type MetricEntry } from '../../execution/types.ts';
import type { StoredLog } from '../types.ts';

export interface LogRow {
  /** A number on SQLite, a string (bigint) on PostgreSQL. */
  seq: number | string;
  execution_id: string;
  task_run_id: string | null;
  task_id: string | null;
  attempt_number: number | null;
  namespace: string;
  flow_id: string;
  level: LogLevel;
  timestamp: string;
  message: string;
}

export interface MetricRow {
  execution_id: string;
  task_run_id: string | null;
  task_id: string | null;
  name: string;
  type: 'counter' | 'timer';
  value: number;
  tags: string;
  timestamp: string;
}

/** The level's rank, stored beside it so that `minLevel` filters compare integers. */
export function levelRank(level: LogLevel): number {
  const rank = LOG_LEVELS.indexOf(level);
  if (rank < 0) throw new Error(`Unknown log level '${String(level)}': use one of ${LOG_LEVELS.join(', ')}`);
  return rank;
}

export const toLog = (r: LogRow): StoredLog => {
  const log: StoredLog = {
    seq: Number(r.seq),
    executionId: r.execution_id,
    namespace: r.namespace,
    flowId: r.flow_id,
    level: r.level,
    message: r.message,
    timestamp: r.timestamp,
  };
  if (r.task_run_id !== null) log.taskRunId = r.task_run_id;
  if (r.task_id !== null) log.taskId = r.task_id;
  if (r.attempt_number !== null) log.attemptNumber = Number(r.attempt_number);
  return log;
};

export const toMetric = (r: MetricRow): MetricEntry => {
  const m: MetricEntry = {
    executionId: r.execution_id,
    name: r.name,
    type: r.type,
    value: Number(r.value),
    tags: JSON.parse(r.tags),
    timestamp: r.timestamp,
  };
  if (r.task_run_id !== null) m.taskRunId = r.task_run_id;
  if (r.task_id !== null) m.taskId = r.task_id;
  return m;
};
