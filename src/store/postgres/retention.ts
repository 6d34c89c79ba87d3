/**
 * Retention on PostgreSQL, as on SQLite (src/store/sqlite/retention.ts): the migration and the batch
 * purges. Several processes may run a purger: each batch first takes a transaction-scoped advisory
 * lock (one per schema) without waiting; a process that does not get it leaves the round to the one
 * that has it, so one purger works at a time.
 */
import { TERMINAL_STATES } from '../../execution/types.ts';
import type { PurgedExecution, RetentionScope } from '../retention.ts';
import type { PgDb, Queryable } from './db.ts';
import type { PgExecutions } from './executions.ts';
import type { Migration } from './migrations.ts';

const TERMINAL = [...TERMINAL_STATES].map((s) => `'${s}'`).join(', ');

export const RETENTION_MIGRATION: Migration = {
  version: 14,
  name: 'retention: when executions ended; the audit log deletes its old entries only',
  // As SQLite's: `ended_at` (null until the execution ends), and a permit the purge inserts and
  // removes within its own transaction, which the audit log's trigger lets through (rows older than
  // it only). Any other UPDATE or DELETE is still refused.
  sql: `
ALTER TABLE executions ADD COLUMN ended_at TEXT COLLATE "C";
UPDATE executions SET ended_at = to_char(
    coalesce((data::jsonb #>> '{state,endDate}'), updated_at)::timestamptz AT TIME ZONE 'UTC',
    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  WHERE state IN (${TERMINAL});
CREATE INDEX executions_by_end ON executions (ended_at) WHERE ended_at IS NOT NULL;

CREATE TABLE audit_purge (before TEXT COLLATE "C" NOT NULL);
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE permitted BOOLEAN := FALSE;
BEGIN
  -- The permit table of the audit log's own schema, whatever the deleting session's search path.
  IF TG_OP = 'DELETE' THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.audit_purge p WHERE $1 < p.before)', TG_TABLE_SCHEMA)
      INTO permitted USING OLD.at;
  END IF;
  IF permitted THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
`,
};

/** The purgers' lock: another key space than the claims' (17063), one lock per schema. */
const LOCK = `SELECT pg_try_advisory_xact_lock(17064, hashtext(current_schema() || '/retention')) AS ok`;

const UNDER = (param: string) => `EXISTS (SELECT 1 FROM unnest(${param}::text[]) n
  WHERE e.namespace = n OR left(e.namespace, length(n) + 1) = n || '.')`;

/**
 * `ended_at` is checked again by the DELETE itself: a row changed since the subquery read it (an
 * execution restarted) is re-evaluated and kept. Rows another transaction holds (an executor writing
 * the execution) are skipped, never waited for.
 */
const DELETE_ENDED = `
DELETE FROM executions WHERE ended_at < $1 AND id IN (
  SELECT id FROM executions e
  WHERE ended_at < $1 AND ($2::text[] IS NULL OR ${UNDER('$2')}) AND NOT ${UNDER('$3')}
  ORDER BY ended_at LIMIT $4 FOR UPDATE SKIP LOCKED)
RETURNING id, namespace, flow_id AS "flowId"`;

const DELETE_AUDIT = `
DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)`;

export class PgRetention {
  readonly #db: PgDb;
  readonly #executions: PgExecutions;

  constructor(db: PgDb, executions: PgExecutions) {
    this.#db = db;
    this.#executions = executions;
  }

  async #locked(on: Queryable): Promise<boolean> {
    return (await this.#db.one<{ ok: boolean }>(LOCK, [], on))?.ok === true;
  }

  purgeEnded(scope: RetentionScope, limit: number): Promise<PurgedExecution[] | undefined> {
    return this.#db.tx(async (c) => {
      if (!(await this.#locked(c))) return undefined;
      const purged = await this.#db.rows<PurgedExecution>(
        DELETE_ENDED,
        [
          new Date(scope.endedBefore).toISOString(),
          scope.namespace === undefined ? null : [scope.namespace],
          scope.except ?? [],
          limit,
        ],
        c,
      );
      if (purged.length > 0)
        await this.#executions.deleteDependents(
          c,
          purged.map((r) => r.id),
        );
      return purged.map((r) => ({ id: r.id, namespace: r.namespace, flowId: r.flowId }));
    });
  }

  purgeAudit(before: string, limit: number): Promise<number> {
    const at = new Date(before).toISOString();
    return this.#db.tx(async (c) => {
      if (!(await this.#locked(c))) return 0;
      await this.#db.query('INSERT INTO audit_purge (before) VALUES ($1)', [at], c);
      const n = (await this.#db.query(DELETE_AUDIT, [at, limit], c)).rowCount ?? 0;
      await this.#db.query('DELETE FROM audit_purge', [], c);
      return n;
    });
  }
}
