/**
 * Retention on SQLite: the migration that makes it possible (when an execution ended, indexed; the
 * audit log's one permitted deletion) and the batch purges (`Store.purgeEndedExecutions`, `purgeAudit`).
 * One writer at a time (BEGIN IMMEDIATE): a batch selects and deletes in one transaction, so an
 * execution restarted meanwhile is never taken.
 */
import { TERMINAL_STATES } from '../../execution/types.ts';
import type { PurgedExecution, RetentionScope } from '../retention.ts';
import type { SqliteDb } from './db.ts';
import type { SqliteExecutions } from './executions.ts';
import type { Migration } from './migrations.ts';

const TERMINAL = [...TERMINAL_STATES].map((s) => `'${s}'`).join(', ');

export const RETENTION_MIGRATION: Migration = {
  version: 14,
  name: 'retention: when executions ended; the audit log deletes its old entries only',
  // `ended_at` is set by every write of an execution (null until it ends); filled here from the JSON of
  // executions that ended before. The audit log's delete trigger now lets through the rows older than a
  // permit that the retention purge inserts and removes within its own transaction (no other
  // connection ever sees it): any other DELETE is still refused.
  sql: `
ALTER TABLE executions ADD COLUMN ended_at TEXT;
UPDATE executions SET ended_at = strftime('%Y-%m-%dT%H:%M:%fZ',
    coalesce(json_extract(data, '$.state.endDate'), updated_at))
  WHERE state IN (${TERMINAL});
CREATE INDEX executions_by_end ON executions (ended_at) WHERE ended_at IS NOT NULL;

CREATE TABLE audit_purge (before TEXT NOT NULL);
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_purge p WHERE OLD.at < p.before)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`,
};

/** `?2`: a JSON array of namespaces (or null: no condition), `?3` another that is excluded. */
const UNDER = (param: string) => `EXISTS (SELECT 1 FROM json_each(${param}) n
  WHERE e.namespace = n.value OR substr(e.namespace, 1, length(n.value) + 1) = n.value || '.')`;

const SELECT_ENDED = `
SELECT id, namespace, flow_id AS flowId FROM executions e
WHERE ended_at < ?1 AND (?2 IS NULL OR ${UNDER('?2')}) AND NOT ${UNDER('?3')}
ORDER BY ended_at LIMIT ?4`;

const DELETE_AUDIT = `
DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log WHERE at < ?1 ORDER BY at LIMIT ?2)`;

export class SqliteRetention {
  readonly #db: SqliteDb;
  readonly #executions: SqliteExecutions;

  constructor(db: SqliteDb, executions: SqliteExecutions) {
    this.#db = db;
    this.#executions = executions;
  }

  purgeEnded(scope: RetentionScope, limit: number): PurgedExecution[] {
    return this.#db.tx(() => {
      const rows = this.#db.all<{ id: string; namespace: string; flowId: string }>(
        SELECT_ENDED,
        new Date(scope.endedBefore).toISOString(),
        scope.namespace === undefined ? null : JSON.stringify([scope.namespace]),
        JSON.stringify(scope.except ?? []),
        limit,
      );
      const purged = rows.map((r) => ({ id: r.id, namespace: r.namespace, flowId: r.flowId }));
      if (purged.length > 0) this.#executions.deleteIn(purged.map((r) => r.id));
      return purged;
    });
  }

  purgeAudit(before: string, limit: number): number {
    const at = new Date(before).toISOString();
    return this.#db.tx(() => {
      this.#db.run('INSERT INTO audit_purge (before) VALUES (?)', at);
      const n = this.#db.run(DELETE_AUDIT, at, limit).changes;
      this.#db.run('DELETE FROM audit_purge');
      return Number(n);
    });
  }
}
