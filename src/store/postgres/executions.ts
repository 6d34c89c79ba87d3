/**
 * Executions and their task runs, as in SQLite (see src/store/sqlite/executions.ts): `data` holds the
 * objects as JSON text; the other columns are copies used by filters and indexes.
 */
import type { Execution, TaskRun } from '../../execution/types.ts';
import { endedAt } from '../retention.ts';
import type { ExecutionFilter } from '../types.ts';
import type { PgDb, Queryable } from './db.ts';

/** Params: see `executionParams` (several executions in one statement; an id at most once). */
export const UPSERT_EXECUTIONS = `
INSERT INTO executions (id, namespace, flow_id, state, created_at, updated_at, labels, version, data, ended_at)
SELECT i, n, f, s, c, $6, l::jsonb, v, d, e
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $7::text[], $8::bigint[], $9::text[],
  $10::text[]) AS x(i, n, f, s, c, l, v, d, e)
ON CONFLICT (id) DO UPDATE SET
  namespace = excluded.namespace, flow_id = excluded.flow_id, state = excluded.state,
  updated_at = excluded.updated_at, labels = excluded.labels, version = excluded.version,
  data = excluded.data, ended_at = excluded.ended_at`;

/**
 * All task runs of a write in one statement. A new task run is numbered after the others of its
 * execution (in the order given); an update keeps its number, hence its place. Numbers given to rows
 * that turn out to be updates are skipped: only the order matters.
 */
export const UPSERT_TASK_RUNS = `
INSERT INTO task_runs (id, execution_id, seq, data)
SELECT t.id, t.execution_id,
  (SELECT coalesce(max(seq), 0) FROM task_runs r WHERE r.execution_id = t.execution_id)
    + row_number() OVER (PARTITION BY t.execution_id ORDER BY t.n),
  t.data
FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(id, execution_id, data, n)
ON CONFLICT (id) DO UPDATE SET data = excluded.data`;

export type ExecutionRow = Omit<Execution, 'taskRuns'>;

/** The parameters of UPSERT_EXECUTIONS. */
export const executionParams = (executions: readonly ExecutionRow[], updatedAt: string): unknown[] => {
  // Callers may pass a full Execution: never store its task runs twice.
  const rows = executions.map((e) => {
    const { taskRuns: _ignored, ...row } = e as Execution;
    return row;
  });
  return [
    rows.map((r) => r.id),
    rows.map((r) => r.namespace),
    rows.map((r) => r.flowId),
    rows.map((r) => r.state.current),
    rows.map((r) => utcIso(r.state.startDate ?? r.state.histories[0]?.date ?? updatedAt)),
    updatedAt,
    rows.map((r) => JSON.stringify(r.labels ?? [])),
    rows.map((r) => r.version ?? 0),
    rows.map((r) => JSON.stringify(r)),
    rows.map((r) => endedAt(r, updatedAt)),
  ];
};

/**
 * The parameters of UPSERT_TASK_RUNS. One row per id (the last data given wins, at the place of the
 * first): a statement may not update the same row twice.
 */
export const taskRunParams = (taskRuns: readonly TaskRun[]): unknown[] => {
  const byId = new Map<string, TaskRun>();
  for (const tr of taskRuns) byId.set(tr.id, tr);
  const runs = [...byId.values()];
  return [runs.map((tr) => tr.id), runs.map((tr) => tr.executionId), runs.map((tr) => JSON.stringify(tr))];
};

export class PgExecutions {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async version(id: string): Promise<number | undefined> {
    const row = await this.#db.one<{ version: string }>('SELECT version FROM executions WHERE id = $1', [id]);
    return row ? Number(row.version) : undefined;
  }

  /** The execution and its task runs, read in one statement (one snapshot). */
  async get(id: string): Promise<Execution | undefined> {
    const rows = await this.#db.rows<{ data: string; runs: string[] | null }>(
      `SELECT e.data,
         (SELECT array_agg(t.data ORDER BY t.seq) FROM task_runs t WHERE t.execution_id = e.id) AS runs
       FROM executions e WHERE e.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    const execution = JSON.parse(row.data) as Execution;
    execution.taskRuns = (row.runs ?? []).map((r) => JSON.parse(r) as TaskRun);
    return execution;
  }

  async list(filter: ExecutionFilter = {}): Promise<ExecutionRow[]> {
    const { where, params } = whereClause(filter);
    const n = params.length;
    const rows = await this.#db.rows<{ data: string }>(
      `SELECT data FROM executions e ${where} ORDER BY created_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, filter.limit ?? null, filter.offset ?? 0],
    );
    return rows.map((r) => JSON.parse(r.data) as ExecutionRow);
  }

  async count(filter: ExecutionFilter = {}): Promise<number> {
    const { where, params } = whereClause(filter);
    const row = await this.#db.one<{ n: string }>(`SELECT count(*) AS n FROM executions e ${where}`, params);
    return Number(row?.n ?? 0);
  }

  /** Deletes executions with their task runs, queue messages, logs, metrics, dead letters and owner. */
  delete(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
    return this.#db.tx(async (c) => {
      await this.deleteDependents(c, ids);
      return (
        (await this.#db.query('DELETE FROM executions WHERE id = ANY($1::text[])', [ids], c)).rowCount ?? 0
      );
    });
  }

  /** What goes with executions, but for the task runs (a cascade): inside a transaction already open. */
  async deleteDependents(on: Queryable, ids: readonly string[]): Promise<void> {
    for (const table of ['queue', 'logs', 'metrics', 'dead_letters', 'execution_owners']) {
      await this.#db.query(`DELETE FROM ${table} WHERE execution_id = ANY($1::text[])`, [ids], on);
    }
  }
}

/** The WHERE clause for a filter; lists go as array parameters. */
export function whereClause(filter: ExecutionFilter): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.namespace !== undefined) add((p) => `e.namespace = ${p}`, filter.namespace);
  if (filter.flowId !== undefined) add((p) => `e.flow_id = ${p}`, filter.flowId);
  if (filter.states !== undefined) add((p) => `e.state = ANY(${p}::text[])`, filter.states);
  if (filter.labels !== undefined && filter.labels.length > 0) {
    // every wanted label is among the execution's labels (JSONB array containment)
    const wanted = filter.labels.map((l) => ({ key: l.key, value: l.value }));
    add((p) => `e.labels @> ${p}::jsonb`, JSON.stringify(wanted));
  }
  if (filter.since !== undefined) add((p) => `e.created_at >= ${p}`, utcIso(filter.since));
  if (filter.until !== undefined) add((p) => `e.created_at <= ${p}`, utcIso(filter.until));
  if (filter.namespaces !== undefined) {
    // the namespace itself or one below it; left(), not LIKE, so that `_` and `%` in a name are literal
    add(
      (p) => `EXISTS (SELECT 1 FROM unnest(${p}::text[]) AS n(ns) WHERE e.namespace = n.ns
        OR left(e.namespace, length(n.ns) + 1) = n.ns || '.')`,
      filter.namespaces,
    );
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** ISO instants compare correctly as text only in one format: UTC with milliseconds (see SQLite's). */
function utcIso(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`Not an ISO-8601 instant: '${instant}'`);
  return new Date(ms).toISOString();
}
