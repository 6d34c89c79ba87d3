/**
 * Dead letters: queue messages moved aside because handling them kept failing, kept with their payload
 * as stored (even when it is not JSON) and the reason, for `baton executions show` and an API.
 */
import { type DeadLetterRow, toDeadLetter } from '../rows/dead-letters.ts';
import type { DeadLetter } from '../types.ts';
import type { SqliteDb } from './db.ts';

/** Params: error, failed at, message id. Copies the row; the DELETE that follows removes it. */
const MOVE = `
INSERT INTO dead_letters (message_id, queue, execution_id, payload, attempts, error, failed_at)
SELECT id, queue, execution_id, payload, attempts, ?1, ?2 FROM queue WHERE id = ?3`;

export class SqliteDeadLetters {
  readonly #db: SqliteDb;
  readonly #now: () => number;

  constructor(db: SqliteDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /** Moves queue messages here; call inside a transaction. A message already gone is skipped. */
  move(items: readonly { messageId: number; error: string }[]): void {
    if (items.length === 0) return;
    const at = new Date(this.#now()).toISOString();
    const move = this.#db.stmt(MOVE);
    const remove = this.#db.stmt('DELETE FROM queue WHERE id = ?');
    for (const { messageId, error } of items) {
      move.run(error, at, messageId);
      remove.run(messageId);
    }
  }

  list(filter: { executionId?: string; limit?: number } = {}): DeadLetter[] {
    const limit = filter.limit ?? -1; // SQLite: a negative LIMIT means no limit
    const rows =
      filter.executionId === undefined
        ? this.#db.all<DeadLetterRow>('SELECT * FROM dead_letters ORDER BY id LIMIT ?', limit)
        : this.#db.all<DeadLetterRow>(
            'SELECT * FROM dead_letters WHERE execution_id = ? ORDER BY id LIMIT ?',
            filter.executionId,
            limit,
          );
    return rows.map(toDeadLetter);
  }
}
