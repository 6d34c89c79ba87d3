/** Execution logs (with an increasing `seq` for --follow) and metrics, as in SQLite. */
import type { LogEntry, MetricEntry } from '../../execution/types.ts';
import { type LogRow, levelRank, type MetricRow, toLog, toMetric } from '../rows/logs.ts';
import type { LogDeleteFilter, LogFilter, StoredLog } from '../types.ts';
import type { PgDb, Queryable } from './db.ts';

/** All lines of a call in one statement, numbered in the order given. Params: see `logParams`. */
export const INSERT_LOGS = `INSERT INTO logs
  (execution_id, task_run_id, task_id, attempt_number, namespace, flow_id, level, level_rank, timestamp, message)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[],
  $8::int[], $9::text[], $10::text[])`;

/** Params: see `metricParams`. */
export const INSERT_METRICS = `INSERT INTO metrics
  (execution_id, task_run_id, task_id, name, type, value, tags, timestamp)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[],
  $8::text[])`;

/** The parameters of INSERT_LOGS. */
export const logParams = (entries: readonly LogEntry[]): unknown[] => [
  entries.map((e) => e.executionId),
  entries.map((e) => e.taskRunId ?? null),
  entries.map((e) => e.taskId ?? null),
  entries.map((e) => e.attemptNumber ?? null),
  entries.map((e) => e.namespace),
  entries.map((e) => e.flowId),
  entries.map((e) => e.level),
  entries.map((e) => levelRank(e.level)),
  entries.map((e) => e.timestamp),
  entries.map((e) => e.message),
];

/** The parameters of INSERT_METRICS. Serialised first: a value JSON cannot carry throws here, before anything is sent. */
export const metricParams = (entries: readonly MetricEntry[]): unknown[] => [
  entries.map((m) => m.executionId),
  entries.map((m) => m.taskRunId ?? null),
  entries.map((m) => m.taskId ?? null),
  entries.map((m) => m.name),
  entries.map((m) => m.type),
  entries.map((m) => m.value),
  entries.map((m) => JSON.stringify(m.tags ?? {})),
  entries.map((m) => m.timestamp),
];

/**
 * An ISO instant (text) as an instant, in SQL: compared as instants, not as text (`...+02:00` and
 * `...Z` spellings of one instant are equal).
 */
const INSTANT = (expr: string) => `(${expr})::timestamptz`;

export class PgLogs {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async insertLogs(on: Queryable, entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#db.query(INSERT_LOGS, logParams(entries), on);
  }

  async insertMetrics(on: Queryable, entries: readonly MetricEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#db.query(INSERT_METRICS, metricParams(entries), on);
  }

  async query(filter: LogFilter): Promise<StoredLog[]> {
    const params: unknown[] = [filter.executionId];
    const conditions = ['execution_id = $1'];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (filter.taskRunId !== undefined) add((p) => `task_run_id = ${p}`, filter.taskRunId);
    if (filter.taskId !== undefined) add((p) => `task_id = ${p}`, filter.taskId);
    if (filter.minLevel !== undefined) add((p) => `level_rank >= ${p}`, levelRank(filter.minLevel));
    if (filter.afterSeq !== undefined) add((p) => `seq > ${p}`, filter.afterSeq);
    let limit = '';
    if (filter.limit !== undefined) {
      params.push(filter.limit);
      limit = ` LIMIT $${params.length}`;
    }
    const rows = await this.#db.rows<LogRow>(
      `SELECT * FROM logs WHERE ${conditions.join(' AND ')} ORDER BY seq${limit}`,
      params,
    );
    return rows.map(toLog);
  }

  async delete(filter: LogDeleteFilter): Promise<number> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (filter.executionId !== undefined) add((p) => `execution_id = ${p}`, filter.executionId);
    if (filter.namespace !== undefined) add((p) => `namespace = ${p}`, filter.namespace);
    if (filter.flowId !== undefined) add((p) => `flow_id = ${p}`, filter.flowId);
    const at = INSTANT('timestamp');
    if (filter.before !== undefined) add((p) => `${at} < ${INSTANT(`${p}::text`)}`, filter.before);
    if (filter.startDate !== undefined) add((p) => `${at} >= ${INSTANT(`${p}::text`)}`, filter.startDate);
    if (filter.endDate !== undefined) add((p) => `${at} <= ${INSTANT(`${p}::text`)}`, filter.endDate);
    if (filter.levels !== undefined) add((p) => `level = ANY(${p}::text[])`, filter.levels);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    return (await this.#db.query(`DELETE FROM logs ${where}`, params)).rowCount ?? 0;
  }

  async metrics(executionId: string): Promise<MetricEntry[]> {
    const rows = await this.#db.rows<MetricRow>(
      'SELECT * FROM metrics WHERE execution_id = $1 ORDER BY seq',
      [executionId],
    );
    return rows.map(toMetric);
  }
}
