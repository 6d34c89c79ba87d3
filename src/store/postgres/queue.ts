/**
 * The queue table on PostgreSQL: enqueue (with a NOTIFY in the same transaction), claim with leases,
 * ack. Semantics as SQLite's (see src/store/sqlite/queue.ts), which the contract suite checks.
 *
 * Worker claim: one UPDATE over the oldest visible jobs picked `FOR UPDATE SKIP LOCKED`, so concurrent
 * claimers take different rows without waiting for each other.
 *
 * Executor claim: all visible messages of up to `limit` executions, none of whose messages another
 * owner holds, so that one executor at a time handles an execution (its messages in id order). Rows
 * alone cannot ensure that under concurrency (two claimers could each lock one message of the same
 * execution), so each execution is taken with a transaction-scoped advisory lock first
 * (`pg_try_advisory_xact_lock`: a claimer skips executions another claimer is taking, never waits),
 * then its messages are locked in a fresh statement whose snapshot sees every claim committed before
 * the lock was granted, re-checking that no other owner holds them. Rows a writer is deleting right
 * now (an ack) are skipped (`SKIP LOCKED`): they are gone once it commits.
 */
import type pg from 'pg';
import { storeFailureOf } from '../errors.ts';
import type { JobProcess, NewQueueMessage, QueueMessage, QueueName } from '../types.ts';
import { type PgDb, type Queryable, toJson } from './db.ts';

interface QueueRow {
  id: string;
  queue: QueueName;
  execution_id: string;
  payload: string;
  available_at: string;
  attempts: number;
  process: string | null;
}

const RETURNING = 'RETURNING id, queue, execution_id, payload, available_at, attempts, process';

/** Params: $1 now, $2 owner, $3 locked until. */
const LOCK = 'locked_by = $2, locked_until = $3, visible_at = $3, attempts = attempts + 1';

/**
 * Params: $1 now, $2 owner, $3 locked until, $4 limit; $5 the worker group (CLAIM_GROUP_WORKER): the
 * default group takes the jobs of no group.
 */
const CLAIM_WORKER = `
UPDATE queue SET ${LOCK}
WHERE id IN (
  SELECT id FROM queue WHERE queue = 'worker' AND visible_at <= $1 AND worker_group IS NULL
  ORDER BY visible_at, id LIMIT $4
  FOR UPDATE SKIP LOCKED)
${RETURNING}`;
const CLAIM_GROUP_WORKER = `
UPDATE queue SET ${LOCK}
WHERE id IN (
  SELECT id FROM queue WHERE worker_group = $5 AND visible_at <= $1 AND queue = 'worker'
  ORDER BY visible_at, id LIMIT $4
  FOR UPDATE SKIP LOCKED)
${RETURNING}`;

/**
 * Executions with a visible executor message that no other owner holds, oldest first, leaving out
 * those tried already by this claim. Params: $1 now, $2 owner, $3 tried, $4 how many.
 */
const CANDIDATES = `
SELECT q.execution_id FROM queue q
WHERE q.queue = 'executor' AND q.visible_at <= $1 AND NOT (q.execution_id = ANY($3::text[]))
  AND NOT EXISTS (
    SELECT 1 FROM queue o
    WHERE o.execution_id = q.execution_id AND o.queue = 'executor' AND o.locked_until > $1
      AND o.locked_by IS NOT NULL AND o.locked_by <> $2)
GROUP BY q.execution_id ORDER BY min(q.visible_at), min(q.id) LIMIT $4`;

/**
 * The advisory lock of an execution, one per (schema, execution) so that stores in other schemas of
 * one database never block each other. Two executions whose keys collide (a 32-bit hash) only mean
 * one is skipped by this claim and taken by the next. The class key 0x42A7 keeps these apart from
 * other users of two-key advisory locks in the database.
 */
const TRY_LOCK = `
SELECT e FROM unnest($1::text[]) AS c(e)
WHERE pg_try_advisory_xact_lock(17063, hashtext(current_schema() || '/' || c.e))`;

/** Params: $1 now, $2 owner, $3 locked until, $4 executions (whose advisory locks are held). */
const CLAIM_EXECUTIONS = `
UPDATE queue SET ${LOCK}
WHERE id IN (
  SELECT q.id FROM queue q
  WHERE q.queue = 'executor' AND q.execution_id = ANY($4::text[]) AND q.visible_at <= $1
    AND NOT EXISTS (
      SELECT 1 FROM queue o
      WHERE o.execution_id = q.execution_id AND o.queue = 'executor' AND o.locked_until > $1
        AND o.locked_by IS NOT NULL AND o.locked_by <> $2)
  FOR UPDATE SKIP LOCKED)
${RETURNING}`;

const INSERT = `
INSERT INTO queue (queue, execution_id, payload, available_at, visible_at, worker_group)
SELECT q, e, p, a, a, g FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) AS m(q, e, p, a, g)`;

/** The NOTIFY channel of a schema's queue (channels are per database, schemas share them). */
export const queueChannel = (schema: string | undefined): string => `baton_queue_${schema ?? 'default'}`;

/** A row as a message; a payload that is not JSON is handed out flagged `unreadable` (see SQLite's). */
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

export class PgQueue {
  readonly #db: PgDb;
  readonly #now: () => number;
  /**
   * Claims whose answer was lost (the connection dropped while they ran): the server may have
   * committed them, leaving rows locked by their owner, who never saw them, until the lease ran out
   * (30 s without progress for the executions concerned). Each is known by its owner and the exact
   * `locked_until` it set, and released before that owner's next claim.
   */
  #uncertain: { owner: string; until: number }[] = [];

  constructor(db: PgDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * Inserts messages and notifies the listeners of their queues (delivered when the transaction
   * commits, not before: a listener woken always finds the message). Call inside a transaction.
   */
  async insert(on: Queryable, messages: readonly NewQueueMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const now = this.#now();
    for (const m of messages) {
      if (m.queue !== 'executor' && m.queue !== 'worker') {
        throw new Error(`Unknown queue '${String(m.queue)}': use 'executor' or 'worker'`);
      }
    }
    await this.#db.query(
      INSERT,
      [
        messages.map((m) => m.queue),
        messages.map((m) => m.executionId),
        messages.map((m) => toJson(m.payload ?? null)),
        messages.map((m) => m.availableAt ?? now),
        messages.map((m) => (m.queue === 'worker' && m.workerGroup ? m.workerGroup : null)),
      ],
      on,
    );
    const channel = queueChannel(this.#db.schema);
    for (const queue of new Set(messages.map((m) => m.queue)))
      await this.#db.query('SELECT pg_notify($1, $2)', [channel, queue], on);
  }

  async deleteIds(on: Queryable, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.query('DELETE FROM queue WHERE id = ANY($1::bigint[])', [ids], on);
  }

  async purgeExecutions(on: Queryable, executionIds: readonly string[]): Promise<void> {
    if (executionIds.length === 0) return;
    await this.#db.query('DELETE FROM queue WHERE execution_id = ANY($1::text[])', [executionIds], on);
  }

  async claim(
    queue: QueueName,
    owner: string,
    limit: number,
    leaseMs: number,
    workerGroup?: string,
  ): Promise<QueueMessage[]> {
    if (!owner) throw new Error('claim needs a non-empty owner id');
    if (queue !== 'executor' && queue !== 'worker')
      throw new Error(`Unknown queue '${String(queue)}': use 'executor' or 'worker'`);
    if (limit <= 0) return [];
    await this.#releaseUncertain(owner);
    const now = this.#now();
    const max = Math.floor(limit);
    const until = now + leaseMs;
    let rows: QueueRow[];
    try {
      if (queue === 'worker') {
        rows = workerGroup
          ? await this.#db.rows<QueueRow>(CLAIM_GROUP_WORKER, [now, owner, until, max, workerGroup])
          : await this.#db.rows<QueueRow>(CLAIM_WORKER, [now, owner, until, max]);
      } else {
        rows = await this.#db.tx((c) => this.#claimExecutions(c, owner, max, now, until));
      }
    } catch (error) {
      if (storeFailureOf(error)?.kind === 'unreachable') this.#uncertain.push({ owner, until });
      throw error;
    }
    // RETURNING gives no order guarantee; consumers rely on id order.
    return rows.map(toMessage).sort((a, b) => a.id - b.id);
  }

  /**
   * Releases the rows that claims of `owner` with a lost answer may have locked. Matching the exact
   * `locked_until` of such a claim leaves alone the rows its owner holds knowingly (their leases were
   * set, or extended, at another instant).
   */
  async #releaseUncertain(owner: string): Promise<void> {
    const mine = this.#uncertain.filter((u) => u.owner === owner);
    if (mine.length === 0) return;
    await this.#db.query(
      // The lost claim counted an attempt that nobody made: taken back, so that it neither numbers the
      // next attempt nor counts towards a message being judged poison.
      `UPDATE queue SET locked_by = NULL, locked_until = NULL, visible_at = available_at,
         attempts = greatest(attempts - 1, 0)
       WHERE locked_by = $1 AND locked_until = ANY($2::bigint[])`,
      [owner, mine.map((u) => u.until)],
    );
    this.#uncertain = this.#uncertain.filter((u) => !mine.includes(u));
  }

  /**
   * Takes executions in batches: candidates oldest first, the advisory locks of as many as still
   * wanted, then their messages. Goes on with the next candidates when some were taken by another
   * claimer meanwhile, until `limit` executions or none left: concurrent claimers share out every
   * claimable execution instead of all trying the same first few.
   */
  async #claimExecutions(
    c: pg.PoolClient,
    owner: string,
    limit: number,
    now: number,
    until: number,
  ): Promise<QueueRow[]> {
    const tried: string[] = [];
    const claimed: QueueRow[] = [];
    let taken = 0;
    while (taken < limit) {
      const want = limit - taken;
      const candidates = (
        await this.#db.rows<{ execution_id: string }>(CANDIDATES, [now, owner, tried, want], c)
      ).map((r) => r.execution_id);
      if (candidates.length === 0) break;
      tried.push(...candidates);
      const locked = (await this.#db.rows<{ e: string }>(TRY_LOCK, [candidates], c)).map((r) => r.e);
      if (locked.length === 0) continue;
      const rows = await this.#db.rows<QueueRow>(CLAIM_EXECUTIONS, [now, owner, until, locked], c);
      taken += new Set(rows.map((r) => r.execution_id)).size;
      claimed.push(...rows);
    }
    return claimed;
  }

  async extendLease(ids: readonly number[], owner: string, leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.query(
      `UPDATE queue SET locked_until = $1, visible_at = greatest(available_at, $1)
       WHERE locked_by = $2 AND id = ANY($3::bigint[])`,
      [this.#now() + leaseMs, owner, ids],
    );
  }

  /** Records (or clears) the process of the attempt holding job `id`, if `owner` holds it. */
  async recordProcess(id: number, owner: string, process: JobProcess | undefined): Promise<boolean> {
    const r = await this.#db.query('UPDATE queue SET process = $1 WHERE id = $2 AND locked_by = $3', [
      process ? JSON.stringify(process) : null,
      id,
      owner,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async releaseOwner(owner: string): Promise<number> {
    const r = await this.#db.query(
      'UPDATE queue SET locked_by = NULL, locked_until = NULL, visible_at = available_at WHERE locked_by = $1',
      [owner],
    );
    return r.rowCount ?? 0;
  }

  async listOwners(): Promise<string[]> {
    const rows = await this.#db.rows<{ locked_by: string }>(
      `SELECT DISTINCT locked_by FROM queue WHERE locked_by IS NOT NULL AND locked_until > $1
       ORDER BY locked_by`,
      [this.#now()],
    );
    return rows.map((r) => r.locked_by);
  }

  /** When the next message of `queue` becomes claimable (see SQLite's). */
  async nextAvailableAt(queue: QueueName): Promise<number | undefined> {
    const row = await this.#db.one<{ t: string | null }>(
      'SELECT min(visible_at) AS t FROM queue WHERE queue = $1',
      [queue],
    );
    return row?.t == null ? undefined : Number(row.t);
  }

  async count(queue?: QueueName): Promise<number> {
    const row = await this.#db.one<{ n: string }>(
      'SELECT count(*) AS n FROM queue WHERE $1::text IS NULL OR queue = $1',
      [queue ?? null],
    );
    return Number(row?.n ?? 0);
  }
}
