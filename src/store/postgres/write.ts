/**
 * Execution writes as one statement: the parts of a write (execution, task runs, messages and their
 * NOTIFY, owners, acks, purges, logs, metrics, audit lines) as the data-modifying CTEs of a single
 * INSERT/DELETE ... SELECT pg_notify(...). Sent alone it commits by itself: one round trip where a
 * transaction of separate statements took eight to ten (BEGIN, SAVEPOINT, each part, RELEASE, COMMIT),
 * each a wait for the server on a busy 2-core machine.
 *
 * The parts of one statement all read the snapshot it started with and cannot see each other's rows,
 * so what a write's purge would delete of the write itself (its messages and owner records of the
 * executions it settles) is left out here instead. Several writes can go as one statement when
 * applying them in turn would come to the same (`mergeable`); otherwise they go one by one.
 * Dead letters, KV entries and trigger states are not parts: a write with them runs those as
 * statements of their own in its transaction (see store.ts).
 */
import type { ExecutionWrite, NewQueueMessage } from '../types.ts';
import { auditParams, INSERT_AUDIT } from './access.ts';
import type { PgDb } from './db.ts';
import { executionParams, taskRunParams, UPSERT_EXECUTIONS, UPSERT_TASK_RUNS } from './executions.ts';
import { INSERT_LOGS, INSERT_METRICS, logParams, metricParams } from './logs.ts';
import { INSERT_OWNERS, ownerParams } from './owners.ts';
import { INSERT_QUEUE, NOTIFY_QUEUES, notifyParams, queueParams } from './queue.ts';

/** Params: $1 message ids, $2 executions whose messages all go. */
const DELETE_MESSAGES = 'DELETE FROM queue WHERE id = ANY($1::bigint[]) OR execution_id = ANY($2::text[])';
/** Params: $1 executions. */
const DELETE_OWNERS = 'DELETE FROM execution_owners WHERE execution_id = ANY($1::text[])';

/** Whether a write is all parts (nothing that needs a statement of its own). */
export const onlyParts = (w: ExecutionWrite): boolean =>
  !w.deadLetters?.length && !w.kv?.length && !w.triggers?.length;

/**
 * Whether `writes` as one statement come to the same as applied in turn: all parts, no execution
 * upserted twice (one statement may not update a row twice), and no write's purge deleting what
 * another adds (their order would matter).
 */
export const mergeable = (writes: readonly ExecutionWrite[]): boolean => {
  const upserted = new Set<string>();
  const purgedBy = new Map<string, ExecutionWrite>();
  for (const w of writes) {
    if (!onlyParts(w)) return false;
    if (w.execution) {
      if (upserted.has(w.execution.id)) return false;
      upserted.add(w.execution.id);
    }
    for (const id of w.purgeQueueOf ?? []) purgedBy.set(id, w);
  }
  if (purgedBy.size === 0) return true;
  return writes.every((w) =>
    [...(w.enqueue ?? []), ...(w.owners ?? [])].every((m) => (purgedBy.get(m.executionId) ?? w) === w),
  );
};

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The one statement applying the parts of `writes` (see `mergeable` for several); undefined when there
 * is nothing to write. `now`: epoch ms, when messages without an `availableAt` become visible.
 */
export const partsStatement = (
  writes: readonly ExecutionWrite[],
  db: PgDb,
  now: number,
): Statement | undefined => {
  const all = <T>(pick: (w: ExecutionWrite) => readonly T[] | undefined): T[] =>
    writes.flatMap((w) => pick(w) ?? []);
  // What a write's own purge would delete again: never written.
  const kept = <T extends { executionId: string }>(w: ExecutionWrite, rows: readonly T[] | undefined) =>
    (rows ?? []).filter((r) => !w.purgeQueueOf?.includes(r.executionId));
  const executions = writes.flatMap((w) => (w.execution ? [w.execution] : []));
  const taskRuns = all((w) => w.taskRuns);
  const enqueue: NewQueueMessage[] = all((w) => kept(w, w.enqueue));
  const owners = all((w) => kept(w, w.owners));
  const ack = all((w) => w.ack);
  const purged = all((w) => w.purgeQueueOf);
  const logs = all((w) => w.logs);
  const metrics = all((w) => w.metrics);
  const audit = all((w) => w.audit);

  const params: unknown[] = [];
  const ctes: string[] = [];
  /** `sql` with its placeholders renumbered after those already added, and its values added. */
  const place = (sql: string, values: unknown[]): string => {
    const offset = params.length;
    params.push(...values);
    // Our own SQL, whose only `$n` are placeholders.
    return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  };
  const add = (sql: string, values: unknown[]) => ctes.push(`w${ctes.length} AS (${place(sql, values)})`);
  if (executions.length > 0) add(UPSERT_EXECUTIONS, executionParams(executions, new Date(now).toISOString()));
  if (taskRuns.length > 0) add(UPSERT_TASK_RUNS, taskRunParams(taskRuns));
  if (enqueue.length > 0) add(INSERT_QUEUE, queueParams(enqueue, now));
  if (owners.length > 0) add(INSERT_OWNERS, ownerParams(owners));
  if (ack.length > 0 || purged.length > 0) add(DELETE_MESSAGES, [ack, purged]);
  if (purged.length > 0) add(DELETE_OWNERS, [purged]);
  if (logs.length > 0) add(INSERT_LOGS, logParams(logs));
  if (metrics.length > 0) add(INSERT_METRICS, metricParams(metrics));
  if (audit.length > 0) add(INSERT_AUDIT, auditParams(audit));
  if (ctes.length === 0 && enqueue.length === 0) return undefined;
  // The main query NOTIFYs (none without messages); the CTEs run to completion whether read or not.
  const main = place(NOTIFY_QUEUES, notifyParams(db, enqueue));
  return { sql: ctes.length > 0 ? `WITH ${ctes.join(',\n')}\n${main}` : main, params };
};
