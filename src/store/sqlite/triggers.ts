/**
 * Trigger states (see `TriggerState`): one row per trigger of a flow. Writes come through
 * `ExecutionWrite.triggers`, inside the write's transaction; a write expecting a version that is no
 * longer the stored one throws TriggerStateConflictError, which rolls the whole write back.
 */
import { TriggerStateConflictError } from '../errors.ts';
import { type TriggerRow, toTriggerState } from '../rows/triggers.ts';
import type { TriggerKey, TriggerState, TriggerStateFilter, TriggerStateWrite } from '../types.ts';
import type { SqliteDb } from './db.ts';

const KEY = 'namespace = ? AND flow_id = ? AND trigger_id = ?';

const UPSERT = `
INSERT INTO triggers (namespace, flow_id, trigger_id, type, flow_revision, next_date, last_date, disabled,
  execution_id, locked_at, backfill, data, updated_at, version)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1)
ON CONFLICT (namespace, flow_id, trigger_id) DO UPDATE SET
  type = excluded.type, flow_revision = excluded.flow_revision, next_date = excluded.next_date,
  last_date = excluded.last_date, disabled = excluded.disabled, execution_id = excluded.execution_id,
  locked_at = excluded.locked_at, backfill = excluded.backfill, data = excluded.data,
  updated_at = excluded.updated_at, version = triggers.version + 1`;

export class SqliteTriggers {
  readonly #db: SqliteDb;
  readonly #now: () => number;

  constructor(db: SqliteDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  get(key: TriggerKey): TriggerState | undefined {
    const row = this.#db.get<TriggerRow>(
      `SELECT * FROM triggers WHERE ${KEY}`,
      key.namespace,
      key.flowId,
      key.triggerId,
    );
    return row ? toTriggerState(row) : undefined;
  }

  list(filter: TriggerStateFilter = {}): TriggerState[] {
    return this.#db
      .all<TriggerRow>(
        `SELECT * FROM triggers WHERE (?1 IS NULL OR namespace = ?1) AND (?2 IS NULL OR flow_id = ?2)
         ORDER BY namespace, flow_id, trigger_id`,
        filter.namespace ?? null,
        filter.flowId ?? null,
      )
      .map(toTriggerState);
  }

  /** Call inside the write's transaction. */
  apply(writes: readonly TriggerStateWrite[]): void {
    for (const w of writes) {
      const key = 'delete' in w ? w.delete : w.state;
      if (w.expectVersion !== undefined) {
        const current = this.#db.get<{ version: number }>(
          `SELECT version FROM triggers WHERE ${KEY}`,
          key.namespace,
          key.flowId,
          key.triggerId,
        );
        if (Number(current?.version ?? 0) !== w.expectVersion) throw new TriggerStateConflictError(key);
      }
      if ('delete' in w) {
        this.#db.run(`DELETE FROM triggers WHERE ${KEY}`, key.namespace, key.flowId, key.triggerId);
        continue;
      }
      const s = w.state;
      this.#db.run(
        UPSERT,
        s.namespace,
        s.flowId,
        s.triggerId,
        s.type ?? null,
        s.flowRevision ?? null,
        s.nextDate ?? null,
        s.lastDate ?? null,
        s.disabled ? 1 : 0,
        s.executionId ?? null,
        s.lockedAt ?? null,
        s.backfill === undefined ? null : JSON.stringify(s.backfill),
        s.data === undefined ? null : JSON.stringify(s.data),
        new Date(this.#now()).toISOString(),
      );
    }
  }
}
