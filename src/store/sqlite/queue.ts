/**
 * The queue table: enqueue, claim with leases, ack. Every claim is a single UPDATE ... RETURNING, which
 * SQLite runs atomically under the write lock, so two claimers can never take the same row.
 */
import type { JobProcess, NewQueueMessage, QueueMessage, QueueName } from '../types.ts';
import { type SqliteDb, toJson } from './db.ts';

interface QueueRow {
  id: number;
  queue: QueueName;
  execution_id: string;
  payload: string;
  available_at: number;
  attempts: number;
  process: string | null;
}

const RETURNING = 'RETURNING id, queue, execution_id, payload, available_at, attempts, process';

/**
 * `visible_at` is when a row can next be claimed (see migration 2): `available_at` while unlocked, the
 * lease end while locked. A claim sets it to the lease end, so held rows drop out of the claim range.
 */
const LOCK = 'locked_by = ?2, locked_until = ?3, visible_at = ?3, attempts = attempts + 1';

/**
 * Executor claim: pick the `limit` executions with the oldest visible message whose messages are not
 * held by another owner's live lease, then lock all their visible messages. Messages of one execution
 * thus go to one executor at a time. Params: ?1 now, ?2 owner, ?3 locked until, ?4 limit.
 * The unary `+` keeps SQLite from walking every visible row through `queue_claim` for the outer
 * UPDATE: it looks the chosen executions' executor messages up by `queue_by_execution` (execution_id,
 * queue) instead, never their worker jobs (an execution may have 100,000 of them waiting).
 */
const CLAIM_EXECUTOR = `
UPDATE queue SET ${LOCK}
WHERE queue = 'executor' AND +visible_at <= ?1
  AND execution_id IN (
    SELECT DISTINCT q.execution_id FROM queue q
    WHERE q.queue = 'executor' AND q.visible_at <= ?1
      AND NOT EXISTS (
        SELECT 1 FROM queue o
        WHERE o.execution_id = q.execution_id AND o.locked_until > ?1
          AND o.queue = 'executor' AND o.locked_by IS NOT NULL AND o.locked_by <> ?2)
    ORDER BY q.visible_at, q.id LIMIT ?4)
${RETURNING}`;

/**
 * Worker claim: the `limit` visible jobs of the worker's group that became visible first. Params as
 * CLAIM_EXECUTOR, and ?5 the group (CLAIM_GROUP_WORKER only): the default group takes jobs of no group.
 */
const CLAIM_WORKER = `
UPDATE queue SET ${LOCK}
WHERE id IN (SELECT id FROM queue WHERE queue = 'worker' AND visible_at <= ?1 AND worker_group IS NULL
  ORDER BY visible_at, id LIMIT ?4)
${RETURNING}`;
const CLAIM_GROUP_WORKER = `
UPDATE queue SET ${LOCK}
WHERE id IN (SELECT id FROM queue WHERE worker_group = ?5 AND visible_at <= ?1 AND queue = 'worker'
  ORDER BY visible_at, id LIMIT ?4)
${RETURNING}`;

const INSERT =
  'INSERT INTO queue (queue, execution_id, payload, available_at, visible_at, worker_group) VALUES (?1, ?2, ?3, ?4, ?4, ?5)';
const DELETE_BY_ID = 'DELETE FROM queue WHERE id = ?';
const DELETE_OF_EXECUTION = 'DELETE FROM queue WHERE execution_id = ?';

/**
 * A row as a message. A payload that is not JSON (a damaged row) must not make the whole claim throw:
 * that would hold every other message of the batch and fail again at each claim. It is handed out
 * flagged `unreadable`, for its consumer to move it aside.
 */
const toMessage = (r: QueueRow): QueueMessage => {
  const m: QueueMessage = {
    id: Number(r.id),
    queue: r.queue,
    executionId: r.execution_id,
    payload: r.payload,
    availableAt: Number(r.available_at),
    attempts: Number(r.attempts),
  };
  try {
    m.payload = JSON.parse(r.payload);
  } catch (error) {
    m.unreadable = `payload is not valid JSON (${(error as Error).message})`;
  }
  if (r.process) {
    try {
      m.process = JSON.parse(r.process) as JobProcess;
    } catch {
      // A damaged record names no process: there is nothing to end.
    }
  }
  return m;
};

export class SqliteQueue {
  readonly #db: SqliteDb;
  readonly #now: () => number;

  constructor(db: SqliteDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /** Inserts messages; call inside a transaction when there are several. */
  insert(messages: readonly NewQueueMessage[]): void {
    if (messages.length === 0) return;
    const stmt = this.#db.stmt(INSERT);
    const now = this.#now();
    for (const m of messages) {
      if (m.queue !== 'executor' && m.queue !== 'worker') {
        throw new Error(`Unknown queue '${String(m.queue)}': use 'executor' or 'worker'`);
      }
      const group = m.queue === 'worker' && m.workerGroup ? m.workerGroup : null;
      stmt.run(m.queue, m.executionId, toJson(m.payload ?? null), m.availableAt ?? now, group);
    }
  }

  deleteIds(ids: readonly number[]): void {
    const stmt = this.#db.stmt(DELETE_BY_ID);
    for (const id of ids) stmt.run(id);
  }

  purgeExecutions(executionIds: readonly string[]): void {
    const stmt = this.#db.stmt(DELETE_OF_EXECUTION);
    for (const id of executionIds) stmt.run(id);
  }

  claim(
    queue: QueueName,
    owner: string,
    limit: number,
    leaseMs: number,
    workerGroup?: string,
  ): QueueMessage[] {
    if (!owner) throw new Error('claim needs a non-empty owner id');
    if (limit <= 0) return [];
    const now = this.#now();
    if (queue !== 'executor' && queue !== 'worker')
      throw new Error(`Unknown queue '${String(queue)}': use 'executor' or 'worker'`);
    const args = [now, owner, now + leaseMs, Math.floor(limit)];
    const rows =
      queue === 'executor'
        ? this.#db.all<QueueRow>(CLAIM_EXECUTOR, ...args)
        : workerGroup
          ? this.#db.all<QueueRow>(CLAIM_GROUP_WORKER, ...args, workerGroup)
          : this.#db.all<QueueRow>(CLAIM_WORKER, ...args);
    // RETURNING gives no order guarantee; consumers rely on id order.
    return rows.map(toMessage).sort((a, b) => a.id - b.id);
  }

  extendLease(ids: readonly number[], owner: string, leaseMs: number): void {
    if (ids.length === 0) return;
    this.#db.run(
      `UPDATE queue SET locked_until = ?1, visible_at = max(available_at, ?1)
       WHERE locked_by = ?2 AND id IN (SELECT value FROM json_each(?3))`,
      this.#now() + leaseMs,
      owner,
      JSON.stringify(ids),
    );
  }

  /** Records (or clears) the process of the attempt holding job `id`, if `owner` holds it. */
  recordProcess(id: number, owner: string, process: JobProcess | undefined): boolean {
    return (
      this.#db.run(
        'UPDATE queue SET process = ?1 WHERE id = ?2 AND locked_by = ?3',
        process ? JSON.stringify(process) : null,
        id,
        owner,
      ).changes > 0
    );
  }

  releaseOwner(owner: string): number {
    return this.#db.run(
      `UPDATE queue SET locked_by = NULL, locked_until = NULL, visible_at = available_at WHERE locked_by = ?`,
      owner,
    ).changes;
  }

  listOwners(): string[] {
    return this.#db
      .all<{ locked_by: string }>(
        'SELECT DISTINCT locked_by FROM queue WHERE locked_by IS NOT NULL AND locked_until > ? ORDER BY locked_by',
        this.#now(),
      )
      .map((r) => r.locked_by);
  }

  /**
   * When the next message of `queue` becomes claimable: its `available_at`, or the end of the lease
   * that holds it. May be in the past when visible executor messages wait for another owner's lease.
   */
  nextAvailableAt(queue: QueueName): number | undefined {
    const row = this.#db.get<{ t: number | null }>(
      'SELECT MIN(visible_at) AS t FROM queue WHERE queue = ?',
      queue,
    );
    return row?.t == null ? undefined : Number(row.t);
  }

  count(queue?: QueueName): number {
    const row = queue
      ? this.#db.get<{ n: number }>('SELECT COUNT(*) AS n FROM queue WHERE queue = ?', queue)
      : this.#db.get<{ n: number }>('SELECT COUNT(*) AS n FROM queue');
    return Number(row?.n ?? 0);
  }
}
