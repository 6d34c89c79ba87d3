/**
 * Trigger states (see `TriggerState`), one row per trigger of a flow, written through
 * `ExecutionWrite.triggers` inside the write's transaction. The version check is part of the statement
 * that writes (an INSERT that must create the row, an UPDATE or DELETE of the expected version), so two
 * concurrent writers expecting the same version cannot both pass: the second finds no row to write and
 * its whole write is rolled back with TriggerStateConflictError.
 */
import { TriggerStateConflictError } from '../errors.ts';
import { type TriggerRow, toTriggerState } from '../rows/triggers.ts';
import type { TriggerKey, TriggerState, TriggerStateFilter, TriggerStateWrite } from '../types.ts';
import type { PgDb, Queryable } from './db.ts';

const KEY = 'namespace = $1 AND flow_id = $2 AND trigger_id = $3';
const COLUMNS = `namespace, flow_id, trigger_id, type, flow_revision, next_date, last_date, disabled,
  execution_id, locked_at, backfill, data, updated_at, version`;
const VALUES = '$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1';
const SET_ALL = `type = $4, flow_revision = $5, next_date = $6, last_date = $7, disabled = $8,
  execution_id = $9, locked_at = $10, backfill = $11, data = $12, updated_at = $13`;

/** Written regardless of the stored version. */
const UPSERT = `INSERT INTO triggers (${COLUMNS}) VALUES (${VALUES})
ON CONFLICT (namespace, flow_id, trigger_id) DO UPDATE SET
  type = excluded.type, flow_revision = excluded.flow_revision, next_date = excluded.next_date,
  last_date = excluded.last_date, disabled = excluded.disabled, execution_id = excluded.execution_id,
  locked_at = excluded.locked_at, backfill = excluded.backfill, data = excluded.data,
  updated_at = excluded.updated_at, version = triggers.version + 1`;
/** Expecting no state yet. */
const CREATE = `INSERT INTO triggers (${COLUMNS}) VALUES (${VALUES}) ON CONFLICT DO NOTHING`;
/** Expecting version $14. */
const UPDATE = `UPDATE triggers SET ${SET_ALL}, version = version + 1 WHERE ${KEY} AND version = $14`;

export class PgTriggers {
  readonly #db: PgDb;
  readonly #now: () => number;

  constructor(db: PgDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  async get(key: TriggerKey): Promise<TriggerState | undefined> {
    const row = await this.#db.one<TriggerRow>(`SELECT * FROM triggers WHERE ${KEY}`, [
      key.namespace,
      key.flowId,
      key.triggerId,
    ]);
    return row ? toTriggerState(row) : undefined;
  }

  async list(filter: TriggerStateFilter = {}): Promise<TriggerState[]> {
    const rows = await this.#db.rows<TriggerRow>(
      `SELECT * FROM triggers WHERE ($1::text IS NULL OR namespace = $1) AND ($2::text IS NULL OR flow_id = $2)
       ORDER BY namespace, flow_id, trigger_id`,
      [filter.namespace ?? null, filter.flowId ?? null],
    );
    return rows.map(toTriggerState);
  }

  /** Call inside the write's transaction. */
  async apply(on: Queryable, writes: readonly TriggerStateWrite[]): Promise<void> {
    for (const w of writes) {
      const key = 'delete' in w ? w.delete : w.state;
      const keyParams = [key.namespace, key.flowId, key.triggerId];
      if ('delete' in w) {
        if (w.expectVersion === 0) {
          // "must not exist": nothing to delete, but a state created meanwhile is a conflict
          const found = await this.#db.one(`SELECT 1 FROM triggers WHERE ${KEY}`, keyParams, on);
          if (found) throw new TriggerStateConflictError(key);
          continue;
        }
        const check = w.expectVersion === undefined ? '' : ' AND version = $4';
        const params = w.expectVersion === undefined ? keyParams : [...keyParams, w.expectVersion];
        const r = await this.#db.query(`DELETE FROM triggers WHERE ${KEY}${check}`, params, on);
        if (w.expectVersion !== undefined && r.rowCount !== 1) throw new TriggerStateConflictError(key);
        continue;
      }
      const s = w.state;
      const params: unknown[] = [
        ...keyParams,
        s.type ?? null,
        s.flowRevision ?? null,
        s.nextDate ?? null,
        s.lastDate ?? null,
        s.disabled,
        s.executionId ?? null,
        s.lockedAt ?? null,
        s.backfill === undefined ? null : JSON.stringify(s.backfill),
        s.data === undefined ? null : JSON.stringify(s.data),
        new Date(this.#now()).toISOString(),
      ];
      if (w.expectVersion === undefined) {
        await this.#db.query(UPSERT, params, on);
        continue;
      }
      const r =
        w.expectVersion === 0
          ? await this.#db.query(CREATE, params, on)
          : await this.#db.query(UPDATE, [...params, w.expectVersion], on);
      if (r.rowCount !== 1) throw new TriggerStateConflictError(key);
    }
  }
}
