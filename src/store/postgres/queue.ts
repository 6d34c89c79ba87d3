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
 * now (an ack) are skipped (`SKIP LOCKED`): they are gone once it commits. Candidates are taken in
 * batches, oldest first, going on with the next ones when some were taken by another claimer meanwhile,
 * until `limit` executions or none left: concurrent claimers share out every claimable execution
 * instead of all trying the same first few. The server runs these steps in one call
 * (claim_executor_messages, migration 15): one round trip, not one per step.
 */
import { storeFailureOf } from '../errors.ts';
import type { ExecutorClaim } from '../executor-claim.ts';
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
 * The executor claim, run by the server in one call (see migrations 15 and 16 for why PL/pgSQL): the
 * claimed rows with their execution's version, then one row without id carrying the next visible time.
 * Params: $1 now, $2 owner, $3 locked until, $4 how many executions.
 */
const CLAIM_EXECUTOR = `
SELECT id, queue, execution_id, payload, available_at, attempts, process, execution_version, next_visible_at
FROM claim_executor_batch($1, $2, $3, $4)`;

interface ExecutorClaimRow extends QueueRow {
  execution_version: string | null;
  next_visible_at: string | null;
}

/** Params: see `queueParams`. */
export const INSERT_QUEUE = `
INSERT INTO queue (queue, execution_id, payload, available_at, visible_at, worker_group)
SELECT q, e, p, a, a, g FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) AS m(q, e, p, a, g)`;

/** The NOTIFY channel of a schema's queue (channels are per database, schemas share them). */
export const queueChannel = (schema: string | undefined): string => `baton_queue_${schema ?? 'default'}`;

/**
 * Tells the listeners of each queue given once (see notify.ts): delivered when the transaction commits.
 * The payload is `queue:origin`, origin naming the store that sent it. Params: see `notifyParams`.
 */
export const NOTIFY_QUEUES = `SELECT pg_notify($1, q || ':' || $3) FROM unnest($2::text[]) AS q`;

/** The parameters of NOTIFY_QUEUES: the queues of `messages`, each once, and the sender's origin. */
export const notifyParams = (db: PgDb, messages: readonly NewQueueMessage[]): unknown[] => [
  queueChannel(db.schema),
  [...new Set(messages.map((m) => m.queue))],
  db.origin,
];

/** The parameters of INSERT_QUEUE; throws on a queue that does not exist. */
export const queueParams = (messages: readonly NewQueueMessage[], now: number): unknown[] => {
  for (const m of messages) {
    if (m.queue !== 'executor' && m.queue !== 'worker') {
      throw new Error(`Unknown queue '${String(m.queue)}': use 'executor' or 'worker'`);
    }
  }
  return [
    messages.map((m) => m.queue),
    messages.map((m) => m.executionId),
    messages.map((m) => toJson(m.payload ?? null)),
    messages.map((m) => m.availableAt ?? now),
    messages.map((m) => (m.queue === 'worker' && m.workerGroup ? m.workerGroup : null)),
  ];
};

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

/** RETURNING gives no order guarantee; consumers rely on id order. */
const inIdOrder = (messages: QueueMessage[]): QueueMessage[] => messages.sort((a, b) => a.id - b.id);

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

  async deleteIds(on: Queryable, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#db.query('DELETE FROM queue WHERE id = ANY($1::bigint[])', [ids], on);
  }

  async claim(
    queue: QueueName,
    owner: string,
    limit: number,
    leaseMs: number,
    workerGroup?: string,
  ): Promise<QueueMessage[]> {
    if (queue === 'executor') return (await this.claimExecutor(owner, limit, leaseMs)).messages;
    if (queue !== 'worker') throw new Error(`Unknown queue '${String(queue)}': use 'executor' or 'worker'`);
    const rows = await this.#claimRows<QueueRow>(owner, limit, leaseMs, (now, until, max) =>
      workerGroup
        ? this.#db.rows<QueueRow>(CLAIM_GROUP_WORKER, [now, owner, until, max, workerGroup])
        : this.#db.rows<QueueRow>(CLAIM_WORKER, [now, owner, until, max]),
    );
    return inIdOrder(rows.map(toMessage));
  }

  async claimExecutor(owner: string, limit: number, leaseMs: number): Promise<ExecutorClaim> {
    const rows = await this.#claimRows<ExecutorClaimRow>(owner, limit, leaseMs, (now, until, max) =>
      this.#db.rows<ExecutorClaimRow>(CLAIM_EXECUTOR, [now, owner, until, max]),
    );
    const claimed = rows.filter((r) => r.id != null);
    const last = rows.find((r) => r.id == null);
    return {
      messages: inIdOrder(claimed.map(toMessage)),
      versions: new Map(
        claimed.map((r) => [
          r.execution_id,
          r.execution_version == null ? undefined : Number(r.execution_version),
        ]),
      ),
      nextAvailableAt: last?.next_visible_at == null ? undefined : Number(last.next_visible_at),
    };
  }

  /** Runs a claim statement; a claim whose answer was lost is remembered, to be released (see #uncertain). */
  async #claimRows<R>(
    owner: string,
    limit: number,
    leaseMs: number,
    run: (now: number, until: number, max: number) => Promise<R[]>,
  ): Promise<R[]> {
    if (!owner) throw new Error('claim needs a non-empty owner id');
    if (limit <= 0) return [];
    await this.#releaseUncertain(owner);
    const now = this.#now();
    const until = now + leaseMs;
    try {
      return await run(now, until, Math.floor(limit));
    } catch (error) {
      if (storeFailureOf(error)?.kind === 'unreachable') this.#uncertain.push({ owner, until });
      throw error;
    }
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
