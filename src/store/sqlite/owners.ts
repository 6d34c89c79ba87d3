/**
 * Execution owners: which process (a queue owner id, `host:pid:nonce`) drives an execution to its end.
 * A row lives from the execution's creation (or the message that creates it) until it settles; recovery
 * hands the rows of a dead process to the process that starts next.
 */
import type { State } from '../../execution/types.ts';
import type { OwnedExecution } from '../types.ts';
import type { SqliteDb } from './db.ts';

const INSERT = 'INSERT INTO execution_owners (execution_id, owner) VALUES (?, ?) ON CONFLICT DO NOTHING';

const OWNED = `
SELECT o.execution_id AS id, e.state AS state,
  EXISTS (SELECT 1 FROM queue q WHERE q.execution_id = o.execution_id) AS queued
FROM execution_owners o LEFT JOIN executions e ON e.id = o.execution_id
WHERE o.owner = ? ORDER BY o.execution_id`;

export class SqliteOwners {
  readonly #db: SqliteDb;

  constructor(db: SqliteDb) {
    this.#db = db;
  }

  /** Call inside a transaction when there are several. */
  insert(rows: readonly { executionId: string; owner: string }[]): void {
    const stmt = this.#db.stmt(INSERT);
    for (const r of rows) stmt.run(r.executionId, r.owner);
  }

  deleteFor(executionIds: readonly string[]): void {
    const stmt = this.#db.stmt('DELETE FROM execution_owners WHERE execution_id = ?');
    for (const id of executionIds) stmt.run(id);
  }

  get(executionId: string): string | undefined {
    return this.#db.get<{ owner: string }>(
      'SELECT owner FROM execution_owners WHERE execution_id = ?',
      executionId,
    )?.owner;
  }

  owners(): string[] {
    return this.#db
      .all<{ owner: string }>('SELECT DISTINCT owner FROM execution_owners ORDER BY owner')
      .map((r) => r.owner);
  }

  adopt(from: string, to: string): string[] {
    return this.#db
      .all<{ execution_id: string }>(
        'UPDATE execution_owners SET owner = ? WHERE owner = ? RETURNING execution_id',
        to,
        from,
      )
      .map((r) => r.execution_id)
      .sort();
  }

  owned(owner: string): OwnedExecution[] {
    return this.#db.all<{ id: string; state: State | null; queued: number }>(OWNED, owner).map((r) => ({
      executionId: r.id,
      ...(r.state === null ? {} : { state: r.state }),
      queued: Number(r.queued) === 1,
    }));
  }
}
