/**
 * `Store.executionStats` on PostgreSQL: the same two grouped queries as SQLite's
 * (src/store/sqlite/execution-stats.ts), with the same filter as the search. Percentiles are nearest
 * rank, as there: `percentile_disc` picks the first value whose cumulative share reaches p, which is the
 * value at rank ceil(n × p).
 */
import type { State } from '../../execution/types.ts';
import type { ExecutionFilter, ExecutionStats } from '../types.ts';
import type { PgDb } from './db.ts';
import { whereClause } from './executions.ts';

// Start and end are ISO instants in the JSON text; an execution not ended has no duration.
const flowStats = (where: string) => `
WITH d AS (
  SELECT e.namespace, e.flow_id, e.state,
    EXTRACT(EPOCH FROM ((e.data::jsonb #>> '{state,endDate}')::timestamptz
      - (e.data::jsonb #>> '{state,startDate}')::timestamptz)) * 1000 AS ms
  FROM executions e ${where}
)
SELECT namespace, flow_id, count(*) AS total,
  count(*) FILTER (WHERE state = 'SUCCESS') AS successes,
  count(*) FILTER (WHERE state = 'FAILED') AS failures,
  percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
  percentile_disc(0.95) WITHIN GROUP (ORDER BY ms) AS p95
FROM d GROUP BY namespace, flow_id ORDER BY namespace, flow_id`;

interface FlowRow {
  namespace: string;
  flow_id: string;
  total: string;
  successes: string;
  failures: string;
  p50: string | null;
  p95: string | null;
}

export const executionStats = async (db: PgDb, filter: ExecutionFilter = {}): Promise<ExecutionStats> => {
  const { where, params } = whereClause(filter);
  const daily = (
    await db.rows<{ day: string; state: State; n: string }>(
      `SELECT substr(e.created_at, 1, 10) AS day, e.state AS state, count(*) AS n
       FROM executions e ${where} GROUP BY day, e.state ORDER BY day, e.state`,
      params,
    )
  ).map((r) => ({ day: r.day, state: r.state, count: Number(r.n) }));
  const flows = (await db.rows<FlowRow>(flowStats(where), params)).map((r) => ({
    namespace: r.namespace,
    flowId: r.flow_id,
    total: Number(r.total),
    successes: Number(r.successes),
    failures: Number(r.failures),
    ...(r.p50 === null ? {} : { p50Ms: Math.round(Number(r.p50)) }),
    ...(r.p95 === null ? {} : { p95Ms: Math.round(Number(r.p95)) }),
  }));
  return { daily, flows };
};
