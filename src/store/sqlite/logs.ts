/** Execution logs (with an increasing `seq` for --follow) and metrics. */
import type { SQLInputValue } from 'node:sqlite';
import type { LogEntry, MetricEntry } from '../../execution/types.ts';
import { type LogRow, levelRank, type MetricRow, toLog, toMetric } from '../rows/logs.ts';
import type { LogDeleteFilter, LogFilter, StoredLog } from '../types.ts';
import type { SqliteDb } from './db.ts';

const INSERT_LOG = `INSERT INTO logs
  (execution_id, task_run_id, task_id, attempt_number, namespace, flow_id, level, level_rank, timestamp, message)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const INSERT_METRIC = `INSERT INTO metrics
  (execution_id, task_run_id, task_id, name, type, value, tags, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * An ISO instant as integer epoch milliseconds, in SQL. Timestamps are compared as instants, not as
 * text: `...+02:00` and `...Z` spellings of one instant are equal, and a bound written with microseconds
 * (`now()` renders six digits) is not mis-ordered against stored milliseconds.
 */
const EPOCH_MS = (expr: string) => `CAST(ROUND(unixepoch(${expr}, 'subsec') * 1000) AS INTEGER)`;

export class SqliteLogs {
  readonly #db: SqliteDb;

  constructor(db: SqliteDb) {
    this.#db = db;
  }

  insertLogs(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    const stmt = this.#db.stmt(INSERT_LOG);
    for (const e of entries) {
      stmt.run(
        e.executionId,
        e.taskRunId ?? null,
        e.taskId ?? null,
        e.attemptNumber ?? null,
        e.namespace,
        e.flowId,
        e.level,
        levelRank(e.level),
        e.timestamp,
        e.message,
      );
    }
  }

  insertMetrics(entries: readonly MetricEntry[]): void {
    if (entries.length === 0) return;
    const stmt = this.#db.stmt(INSERT_METRIC);
    for (const m of entries) {
      stmt.run(
        m.executionId,
        m.taskRunId ?? null,
        m.taskId ?? null,
        m.name,
        m.type,
        m.value,
        JSON.stringify(m.tags ?? {}),
        m.timestamp,
      );
    }
  }

  query(filter: LogFilter): StoredLog[] {
    const conditions = ['execution_id = ?'];
    const params: SQLInputValue[] = [filter.executionId];
    if (filter.taskRunId !== undefined) {
      conditions.push('task_run_id = ?');
      params.push(filter.taskRunId);
    }
    if (filter.taskId !== undefined) {
      conditions.push('task_id = ?');
      params.push(filter.taskId);
    }
    if (filter.minLevel !== undefined) {
      conditions.push('level_rank >= ?');
      params.push(levelRank(filter.minLevel));
    }
    if (filter.afterSeq !== undefined) {
      conditions.push('seq > ?');
      params.push(filter.afterSeq);
    }
    let limit = '';
    if (filter.limit !== undefined) {
      limit = ' LIMIT ?';
      params.push(filter.limit);
    }
    return this.#db
      .all<LogRow>(`SELECT * FROM logs WHERE ${conditions.join(' AND ')} ORDER BY seq${limit}`, ...params)
      .map(toLog);
  }

  delete(filter: LogDeleteFilter): number {
    const conditions: string[] = [];
    const params: SQLInputValue[] = [];
    const add = (sql: string, value: SQLInputValue) => {
      conditions.push(sql);
      params.push(value);
    };
    if (filter.executionId !== undefined) add('execution_id = ?', filter.executionId);
    if (filter.namespace !== undefined) add('namespace = ?', filter.namespace);
    if (filter.flowId !== undefined) add('flow_id = ?', filter.flowId);
    if (filter.before !== undefined) add(`${EPOCH_MS('timestamp')} < ${EPOCH_MS('?')}`, filter.before);
    if (filter.startDate !== undefined) add(`${EPOCH_MS('timestamp')} >= ${EPOCH_MS('?')}`, filter.startDate);
    if (filter.endDate !== undefined) add(`${EPOCH_MS('timestamp')} <= ${EPOCH_MS('?')}`, filter.endDate);
    if (filter.levels !== undefined)
      add('level IN (SELECT value FROM json_each(?))', JSON.stringify(filter.levels));
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.#db.run(`DELETE FROM logs ${where}`, ...params).changes;
  }

  metrics(executionId: string): MetricEntry[] {
    return this.#db
      .all<MetricRow>('SELECT * FROM metrics WHERE execution_id = ? ORDER BY seq', executionId)
      .map(toMetric);
  }
}
