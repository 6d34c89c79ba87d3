/**
 * `Store.executionStats` on SQLite: two grouped queries over `executions` with the same filter as the
 * search. Percentiles are nearest-rank over a window (SQLite has no percentile function): the value at
 * rank ceil(n × p / 100) of the durations ordered ascending; (n × p + 99) / 100 is that ceiling in
 * integer arithmetic.
 */
import type { State } from '../../execution/types.ts';
import type { ExecutionFilter, ExecutionStats } from '../types.ts';
import type { SqliteDb } from './db.ts';
import { whereClause } from './executions.ts';

const durationsOf = (where: string) => `
WITH d AS (
  SELECT e.namespace, e.flow_id, e.state,
    (julianday(json_extract(e.data, '$.state.endDate')) - julianday(json_extract(e.data, '$.state.startDate')))
      * 86400000.0 AS ms
  FROM executions e ${where}
),
ranked AS (
  SELECT namespace, flow_id, ms,
    ROW_NUMBER() OVER (PARTITION BY namespace, flow_id ORDER BY ms) AS rn,
    COUNT(*) OVER (PARTITION BY namespace, flow_id) AS n
  FROM d WHERE ms IS NOT NULL
),
pct AS (
  SELECT namespace, flow_id,
    MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN ms END) AS p50,
    MAX(CASE WHEN rn = (n * 95 + 99) / 100 THEN ms END) AS p95
  FROM ranked GROUP BY namespace, flow_id
),
counts AS (
  SELECT namespace, flow_id, COUNT(*) AS total,
    SUM(state = 'SUCCESS') AS successes, SUM(state = 'FAILED') AS failures
  FROM d GROUP BY namespace, flow_id
)
SELECT c.namespace, c.flow_id, c.total, c.successes, c.failures, p.p50, p.p95
FROM counts c LEFT JOIN pct p ON p.namespace = c.namespace AND p.flow_id = c.flow_id
ORDER BY c.namespace, c.flow_id`;

interface FlowRow {
  namespace: string;
  flow_id: string;
  total: number;
  successes: number;
  failures: number;
  p50: number | null;
  p95: number | null;
}

export const executionStats = (db: SqliteDb, filter: ExecutionFilter = {}): ExecutionStats => {
  const { where, params } = whereClause(filter);
  return db.read(() => {
    const daily = db
      .all<{ day: string; state: State; n: number }>(
        `SELECT substr(e.created_at, 1, 10) AS day, e.state AS state, COUNT(*) AS n
         FROM executions e ${where} GROUP BY day, e.state ORDER BY day, e.state`,
        ...params,
      )
      .map((r) => ({ day: r.day, state: r.state, count: Number(r.n) }));
    const flows = db.all<FlowRow>(durationsOf(where), ...params).map((r) => ({
      namespace: r.namespace,
      flowId: r.flow_id,
      total: Number(r.total),
      successes: Number(r.successes),
      failures: Number(r.failures),
      ...(r.p50 === null ? {} : { p50Ms: Math.round(r.p50) }),
      ...(r.p95 === null ? {} : { p95Ms: Math.round(r.p95) }),
    }));
    return { daily, flows };
  });
};
