/** Dead letters: queue messages moved aside, kept with their payload as stored and the reason (see SQLite's). */
import { type DeadLetterRow, toDeadLetter } from '../rows/dead-letters.ts';
import type { DeadLetter } from '../types.ts';
import type { PgDb, Queryable } from './db.ts';

/** Params: message ids, errors (same order), failed at. Moves the rows in one statement. */
const MOVE = `
WITH moved AS (
  DELETE FROM queue q USING unnest($1::bigint[], $2::text[]) AS m(id, error)
  WHERE q.id = m.id
  RETURNING q.id, q.queue, q.execution_id, q.payload, q.attempts, m.error)
INSERT INTO dead_letters (message_id, queue, execution_id, payload, attempts, error, failed_at)
SELECT id, queue, execution_id, payload, attempts, error, $3 FROM moved ORDER BY id`;

export class PgDeadLetters {
  readonly #db: PgDb;
  readonly #now: () => number;

  constructor(db: PgDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /** Moves queue messages here; call inside a transaction. A message already gone is skipped. */
  async move(on: Queryable, items: readonly { messageId: number; error: string }[]): Promise<void> {
    if (items.length === 0) return;
    await this.#db.query(
      MOVE,
      [items.map((i) => i.messageId), items.map((i) => i.error), new Date(this.#now()).toISOString()],
      on,
    );
  }

  async list(filter: { executionId?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const rows = await this.#db.rows<DeadLetterRow>(
      'SELECT * FROM dead_letters WHERE $1::text IS NULL OR execution_id = $1 ORDER BY id LIMIT $2',
      [filter.executionId ?? null, filter.limit ?? null],
    );
    return rows.map(toDeadLetter);
  }
}
