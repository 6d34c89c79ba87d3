/**
 * Execution owners: which process (a queue owner id, `host:pid:nonce`) drives an execution to its end
 * (see SQLite's).
 */
import type { State } from '../../execution/types.ts';
import type { OwnedExecution } from '../types.ts';
import type { PgDb } from './db.ts';

/** Params: see `ownerParams`. */
export const INSERT_OWNERS = `
INSERT INTO execution_owners (execution_id, owner)
SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`;

/** The parameters of INSERT_OWNERS: the first owner given for an execution wins, as one statement may not insert a key twice. */
export const ownerParams = (rows: readonly { executionId: string; owner: string }[]): unknown[] => {
  const first = new Map<string, string>();
  for (const r of rows) if (!first.has(r.executionId)) first.set(r.executionId, r.owner);
  return [[...first.keys()], [...first.values()]];
};

const OWNED = `
SELECT o.execution_id AS id, e.state AS state,
  EXISTS (SELECT 1 FROM queue q WHERE q.execution_id = o.execution_id) AS queued
FROM execution_owners o LEFT JOIN executions e ON e.id = o.execution_id
WHERE o.owner = $1 ORDER BY o.execution_id`;

export class PgOwners {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async get(executionId: string): Promise<string | undefined> {
    const row = await this.#db.one<{ owner: string }>(
      'SELECT owner FROM execution_owners WHERE execution_id = $1',
      [executionId],
    );
    return row?.owner;
  }

  async owners(): Promise<string[]> {
    const rows = await this.#db.rows<{ owner: string }>(
      'SELECT DISTINCT owner FROM execution_owners ORDER BY owner',
    );
    return rows.map((r) => r.owner);
  }

  async adopt(from: string, to: string): Promise<string[]> {
    const rows = await this.#db.rows<{ execution_id: string }>(
      'UPDATE execution_owners SET owner = $1 WHERE owner = $2 RETURNING execution_id',
      [to, from],
    );
    return rows.map((r) => r.execution_id).sort();
  }

  async owned(owner: string): Promise<OwnedExecution[]> {
    const rows = await this.#db.rows<{ id: string; state: State | null; queued: boolean }>(OWNED, [owner]);
    return rows.map((r) => ({
      executionId: r.id,
      ...(r.state === null ? {} : { state: r.state }),
      queued: r.queued,
    }));
  }
}
