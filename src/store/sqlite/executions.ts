/**
 * Executions and their task runs. The `data` columns hold the objects as JSON; the other columns are
 * copies used by filters and indexes.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { Execution, TaskRun } from '../../execution/types.ts';
import { endedAt } from '../retention.ts';
import type { ExecutionFilter } from '../types.ts';
import type { SqliteDb } from './db.ts';

const UPSERT_EXECUTION = `
INSERT INTO executions (id, namespace, flow_id, state, created_at, updated_at, labels, data, ended_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  namespace = excluded.namespace, flow_id = excluded.flow_id, state = excluded.state,
  updated_at = excluded.updated_at, labels = excluded.labels, data = excluded.data,
  ended_at = excluded.ended_at`;

/**
 * A new task run is numbered after the others of its execution (a seek to the end of the execution's
 * key range); an update keeps its number, hence its place (see migration 5).
 */
const UPSERT_TASK_RUN = `
INSERT INTO task_runs (id, execution_id, seq, data)
VALUES (?1, ?2, (SELECT coalesce(max(seq), 0) + 1 FROM task_runs WHERE execution_id = ?2), ?3)
ON CONFLICT (id) DO UPDATE SET data = excluded.data`;

export type ExecutionRow = Omit<Execution, 'taskRuns'>;

export class SqliteExecutions {
  readonly #db: SqliteDb;

  constructor(db: SqliteDb) {
    this.#db = db;
  }

  upsert(execution: ExecutionRow, updatedAt: string): void {
    // Callers may pass a full Execution: never store its task runs twice.
    const { taskRuns: _ignored, ...row } = execution as Execution;
    this.#db.run(
      UPSERT_EXECUTION,
      row.id,
      row.namespace,
      row.flowId,
      row.state.current,
      utcIso(row.state.startDate ?? row.state.histories[0]?.date ?? updatedAt),
      updatedAt,
      JSON.stringify(row.labels ?? []),
      JSON.stringify(row),
      endedAt(row, updatedAt),
    );
  }

  upsertTaskRuns(taskRuns: readonly TaskRun[]): void {
    if (taskRuns.length === 0) return;
    const stmt = this.#db.stmt(UPSERT_TASK_RUN);
    for (const tr of taskRuns) stmt.run(tr.id, tr.executionId, JSON.stringify(tr));
  }

  version(id: string): number | undefined {
    const row = this.#db.get<{ v: number | null }>(
      "SELECT json_extract(data, '$.version') AS v FROM executions WHERE id = ?",
      id,
    );
    return row ? Number(row.v ?? 0) : undefined;
  }

  get(id: string): Execution | undefined {
    return this.#db.read(() => this.#get(id));
  }

  #get(id: string): Execution | undefined {
    const row = this.#db.get<{ data: string }>('SELECT data FROM executions WHERE id = ?', id);
    if (!row) return undefined;
    const execution = JSON.parse(row.data) as Execution;
    execution.taskRuns = this.#db
      .all<{ data: string }>('SELECT data FROM task_runs WHERE execution_id = ? ORDER BY seq', id)
      .map((r) => JSON.parse(r.data) as TaskRun);
    return execution;
  }

  list(filter: ExecutionFilter = {}): ExecutionRow[] {
    const { where, params } = whereClause(filter);
    const limit = filter.limit ?? -1; // SQLite: a negative LIMIT means no limit
    const offset = filter.offset ?? 0;
    return this.#db
      .all<{ data: string }>(
        `SELECT data FROM executions e ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
        ...params,
        limit,
        offset,
      )
      .map((r) => JSON.parse(r.data) as ExecutionRow);
  }

  count(filter: ExecutionFilter = {}): number {
    const { where, params } = whereClause(filter);
    const row = this.#db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM executions e ${where}`, ...params);
    return Number(row?.n ?? 0);
  }

  /** Deletes executions with their task runs, queue messages, logs, metrics, dead letters and owner. */
  delete(ids: readonly string[]): number {
    if (ids.length === 0) return 0;
    return this.#db.tx(() => this.deleteIn(ids));
  }

  /** `delete` inside a transaction already open (the retention purge's). */
  deleteIn(ids: readonly string[]): number {
    const json = JSON.stringify(ids);
    for (const table of ['queue', 'logs', 'metrics', 'dead_letters', 'execution_owners']) {
      this.#db.run(`DELETE FROM ${table} WHERE execution_id IN (SELECT value FROM json_each(?))`, json);
    }
    return this.#db.run('DELETE FROM executions WHERE id IN (SELECT value FROM json_each(?))', json).changes;
  }
}

/**
 * The WHERE clause for a filter. Lists (states, labels) are passed as one JSON parameter so that the
 * SQL text, hence the cached prepared statement, depends only on which filters are present.
 */
export function whereClause(filter: ExecutionFilter): { where: string; params: SQLInputValue[] } {
  const conditions: string[] = [];
  const params: SQLInputValue[] = [];
  if (filter.namespace !== undefined) {
    conditions.push('e.namespace = ?');
    params.push(filter.namespace);
  }
  if (filter.flowId !== undefined) {
    conditions.push('e.flow_id = ?');
    params.push(filter.flowId);
  }
  if (filter.states !== undefined) {
    conditions.push('e.state IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.states));
  }
  if (filter.labels !== undefined && filter.labels.length > 0) {
    // every wanted label is among the execution's labels
    conditions.push(`NOT EXISTS (
      SELECT 1 FROM json_each(?) w WHERE NOT EXISTS (
        SELECT 1 FROM json_each(e.labels) l
        WHERE l.value ->> 'key' = w.value ->> 'key' AND l.value ->> 'value' = w.value ->> 'value'))`);
    params.push(JSON.stringify(filter.labels.map((l) => ({ key: l.key, value: l.value }))));
  }
  if (filter.since !== undefined) {
    conditions.push('e.created_at >= ?');
    params.push(utcIso(filter.since));
  }
  if (filter.until !== undefined) {
    conditions.push('e.created_at <= ?');
    params.push(utcIso(filter.until));
  }
  if (filter.namespaces !== undefined) {
    // the namespace itself or one below it; substr, not LIKE, so that `_` and `%` in a name are literal
    conditions.push(`EXISTS (SELECT 1 FROM json_each(?) n WHERE e.namespace = n.value
      OR substr(e.namespace, 1, length(n.value) + 1) = n.value || '.')`);
    params.push(JSON.stringify(filter.namespaces));
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * ISO instants compare correctly as text only in one format: normalise to UTC with milliseconds
 * (`2024-01-01T00:00:00Z` would otherwise sort after `2024-01-01T00:00:00.000Z`).
 */
function utcIso(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`Not an ISO-8601 instant: '${instant}'`);
  return new Date(ms).toISOString();
}
