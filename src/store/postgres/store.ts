/**
 * The PostgreSQL backend of `Store`, on `pg` (node-postgres, pure JavaScript) with a connection pool.
 * Several processes may share one database (or one schema of it): each `writeExecution` is one
 * transaction, claims take rows with `FOR UPDATE SKIP LOCKED` (see queue.ts), and enqueues NOTIFY the
 * other processes (`onQueue`).
 */
import type pg from 'pg';
import type { Execution, LogEntry, MetricEntry } from '../../execution/types.ts';
import { isEnvironmentError } from '../errors.ts';
import type { ExecutorClaim } from '../executor-claim.ts';
import type { PurgedExecution, RetentionScope } from '../retention.ts';
import type {
  AuditEntry,
  AuditFilter,
  ClusterInstance,
  DeadLetter,
  ExecutionFilter,
  ExecutionStats,
  ExecutionWrite,
  JobProcess,
  KvEntry,
  LogDeleteFilter,
  LogFilter,
  NewQueueMessage,
  OwnedExecution,
  QueueMessage,
  QueueName,
  Store,
  StoredAuditEntry,
  StoredFlow,
  StoredLog,
  StoredToken,
  StoredUser,
  TriggerKey,
  TriggerState,
  TriggerStateFilter,
} from '../types.ts';
import { PgAccess } from './access.ts';
import { PgDb, type PgOptions, type Queryable } from './db.ts';
import { PgDeadLetters } from './dead-letters.ts';
import { executionStats } from './execution-stats.ts';
import { type ExecutionRow, PgExecutions } from './executions.ts';
import { PgFlows } from './flows.ts';
import { PgInstances } from './instances.ts';
import { PgKv } from './kv.ts';
import { PgLogs } from './logs.ts';
import { applyMigrations } from './migrations.ts';
import { PgQueueListener } from './notify.ts';
import { PgOwners } from './owners.ts';
import { PgQueue } from './queue.ts';
import { PgRetention } from './retention.ts';
import { PgTriggers } from './triggers.ts';
import { mergeable, onlyParts, partsStatement } from './write.ts';

export interface PgStoreOptions extends PgOptions {
  /** Clock in epoch ms, for queue visibility, leases and KV expiry. Defaults to Date.now. */
  now?: () => number;
}

export class PgStore implements Store {
  readonly #db: PgDb;
  readonly #now: () => number;
  readonly #flows: PgFlows;
  readonly #executions: PgExecutions;
  readonly #retention: PgRetention;
  readonly #queue: PgQueue;
  readonly #logs: PgLogs;
  readonly #kv: PgKv;
  readonly #deadLetters: PgDeadLetters;
  readonly #owners: PgOwners;
  readonly #instances: PgInstances;
  readonly #access: PgAccess;
  readonly #triggers: PgTriggers;
  readonly #listener: PgQueueListener;
  #closed = false;

  constructor(options: PgStoreOptions) {
    this.#db = new PgDb(options);
    this.#now = options.now ?? Date.now;
    const now = this.#now;
    this.#flows = new PgFlows(this.#db, now);
    this.#executions = new PgExecutions(this.#db);
    this.#retention = new PgRetention(this.#db, this.#executions);
    this.#queue = new PgQueue(this.#db, now);
    this.#logs = new PgLogs(this.#db);
    this.#kv = new PgKv(this.#db, now);
    this.#deadLetters = new PgDeadLetters(this.#db, now);
    this.#owners = new PgOwners(this.#db);
    this.#instances = new PgInstances(this.#db);
    this.#access = new PgAccess(this.#db);
    this.#triggers = new PgTriggers(this.#db, now);
    this.#listener = new PgQueueListener(this.#db);
  }

  /** `host:port/database` (never the password) and the schema, for messages. */
  get where(): string {
    return this.#db.schema ? `${this.#db.where} (schema ${this.#db.schema})` : this.#db.where;
  }

  async migrate(): Promise<void> {
    await applyMigrations(this.#db);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener.close();
    await this.#db.close();
  }

  onQueue(
    queue: QueueName,
    listener: () => void,
    onNotice?: (message: string) => void,
  ): Promise<() => Promise<void>> {
    return this.#listener.subscribe(queue, listener, onNotice);
  }

  // Flows
  saveFlow(namespace: string, id: string, source: string): Promise<StoredFlow> {
    return this.#flows.save(namespace, id, source);
  }
  getFlow(namespace: string, id: string, revision?: number): Promise<StoredFlow | undefined> {
    return this.#flows.get(namespace, id, revision);
  }
  listFlows(namespace?: string): Promise<StoredFlow[]> {
    return this.#flows.list(namespace);
  }
  listRevisions(namespace: string, id: string): Promise<StoredFlow[]> {
    return this.#flows.revisions(namespace, id);
  }
  deleteFlow(namespace: string, id: string): Promise<void> {
    return this.#flows.delete(namespace, id);
  }
  deleteFlowRevisions(namespace: string, id: string, revisions: number[]): Promise<number> {
    return this.#flows.deleteRevisions(namespace, id, revisions);
  }

  // Executions
  getExecutionVersion(id: string): Promise<number | undefined> {
    return this.#executions.version(id);
  }
  getExecution(id: string): Promise<Execution | undefined> {
    return this.#executions.get(id);
  }
  listExecutions(filter?: ExecutionFilter): Promise<ExecutionRow[]> {
    return this.#executions.list(filter);
  }
  countExecutions(filter?: ExecutionFilter): Promise<number> {
    return this.#executions.count(filter);
  }
  executionStats(filter?: ExecutionFilter): Promise<ExecutionStats> {
    return executionStats(this.#db, filter);
  }
  writeExecution(write: ExecutionWrite): Promise<void> {
    // Parts only: one statement, its own transaction (see write.ts).
    if (onlyParts(write)) return this.#parts(this.#db.pool, [write]);
    return this.#db.tx((c) => this.#apply(c, write));
  }
  /**
   * Group commit: several writes in one transaction, each still all-or-nothing. A failure of the
   * database itself (connection lost, disk full) fails the whole batch, as in SQLite. Writes that can
   * go as one statement do (see write.ts); if it fails, they are applied again one by one, a SAVEPOINT
   * each, so that a write that fails is rolled back alone and its error returned at its index.
   */
  async writeExecutions(writes: ExecutionWrite[]): Promise<(Error | undefined)[]> {
    if (mergeable(writes)) {
      try {
        await this.#parts(this.#db.pool, writes);
        return writes.map(() => undefined);
      } catch (err) {
        if (isEnvironmentError(err)) throw err;
        if (writes.length === 1) return [asError(err)];
      }
    }
    return this.#db.tx(async (c) => {
      const errors: (Error | undefined)[] = [];
      for (const w of writes) {
        try {
          await this.#db.savepoint(c, () => this.#apply(c, w));
          errors.push(undefined);
        } catch (err) {
          if (isEnvironmentError(err)) throw err;
          errors.push(asError(err));
        }
      }
      return errors;
    });
  }
  /** The parts of `writes` in one statement (on a connection in a transaction, or alone on the pool). */
  async #parts(on: Queryable, writes: readonly ExecutionWrite[]): Promise<void> {
    const statement = partsStatement(writes, this.#db, this.#now());
    if (statement) await this.#db.query(statement.sql, statement.params, on);
  }
  async #apply(c: pg.PoolClient, write: ExecutionWrite): Promise<void> {
    // Before the parts: a message moved aside is no longer there to be acked or purged.
    if (write.deadLetters) await this.#deadLetters.move(c, write.deadLetters);
    await this.#parts(c, [write]);
    for (const kv of write.kv ?? []) {
      if (kv.value === undefined) await this.#kv.delete(kv.namespace, kv.key, c);
      else await this.#kv.set(kv.namespace, kv.key, kv.value, {}, c);
    }
    if (write.triggers) await this.#triggers.apply(c, write.triggers);
  }
  deleteExecutions(ids: string[]): Promise<number> {
    return this.#executions.delete(ids);
  }
  purgeEndedExecutions(scope: RetentionScope, limit: number): Promise<PurgedExecution[] | undefined> {
    return this.#retention.purgeEnded(scope, limit);
  }

  // Queue
  enqueue(messages: NewQueueMessage[]): Promise<void> {
    return this.#parts(this.#db.pool, [{ enqueue: messages }]);
  }
  claim(
    queue: QueueName,
    owner: string,
    limit: number,
    leaseMs: number,
    options?: { workerGroup?: string },
  ): Promise<QueueMessage[]> {
    return this.#queue.claim(queue, owner, limit, leaseMs, options?.workerGroup);
  }
  claimExecutor(owner: string, limit: number, leaseMs: number): Promise<ExecutorClaim> {
    return this.#queue.claimExecutor(owner, limit, leaseMs);
  }
  extendLease(ids: number[], owner: string, leaseMs: number): Promise<void> {
    return this.#queue.extendLease(ids, owner, leaseMs);
  }
  ack(ids: number[]): Promise<void> {
    return this.#queue.deleteIds(this.#db.pool, ids);
  }
  recordJobProcess(id: number, owner: string, process: JobProcess | undefined): Promise<boolean> {
    return this.#queue.recordProcess(id, owner, process);
  }
  releaseOwner(owner: string): Promise<number> {
    return this.#queue.releaseOwner(owner);
  }
  listOwners(): Promise<string[]> {
    return this.#queue.listOwners();
  }
  nextAvailableAt(queue: QueueName): Promise<number | undefined> {
    return this.#queue.nextAvailableAt(queue);
  }
  countQueue(queue?: QueueName): Promise<number> {
    return this.#queue.count(queue);
  }
  listDeadLetters(filter?: { executionId?: string; limit?: number }): Promise<DeadLetter[]> {
    return this.#deadLetters.list(filter);
  }

  // Execution owners
  getExecutionOwner(executionId: string): Promise<string | undefined> {
    return this.#owners.get(executionId);
  }
  listExecutionOwners(): Promise<string[]> {
    return this.#owners.owners();
  }
  adoptExecutions(from: string, to: string): Promise<string[]> {
    return this.#owners.adopt(from, to);
  }
  listOwnedExecutions(owner: string): Promise<OwnedExecution[]> {
    return this.#owners.owned(owner);
  }

  // Cluster instances (heartbeats)
  beatInstance(instance: ClusterInstance): Promise<void> {
    return this.#instances.beat(instance);
  }
  listInstances(): Promise<ClusterInstance[]> {
    return this.#instances.list();
  }
  deleteInstance(id: string): Promise<boolean> {
    return this.#instances.delete(id);
  }

  // Logs and metrics
  appendLogs(entries: LogEntry[]): Promise<void> {
    return this.#logs.insertLogs(this.#db.pool, entries);
  }
  queryLogs(filter: LogFilter): Promise<StoredLog[]> {
    return this.#logs.query(filter);
  }
  deleteLogs(filter: LogDeleteFilter): Promise<number> {
    return this.#logs.delete(filter);
  }
  appendMetrics(entries: MetricEntry[]): Promise<void> {
    return this.#logs.insertMetrics(this.#db.pool, entries);
  }
  queryMetrics(executionId: string): Promise<MetricEntry[]> {
    return this.#logs.metrics(executionId);
  }

  // Key-value store
  kvSet(
    namespace: string,
    key: string,
    value: unknown,
    options?: { ttlMs?: number; overwrite?: boolean },
  ): Promise<boolean> {
    return this.#kv.set(namespace, key, value, options);
  }
  kvGet(namespace: string, key: string): Promise<KvEntry | undefined> {
    return this.#kv.get(namespace, key);
  }
  kvList(namespace: string, prefix?: string): Promise<KvEntry[]> {
    return this.#kv.list(namespace, prefix);
  }
  kvScan(): Promise<KvEntry[]> {
    return this.#kv.scan();
  }
  kvDelete(namespace: string, key: string): Promise<boolean> {
    return this.#kv.delete(namespace, key);
  }

  // Trigger states
  getTriggerState(key: TriggerKey): Promise<TriggerState | undefined> {
    return this.#triggers.get(key);
  }
  listTriggerStates(filter?: TriggerStateFilter): Promise<TriggerState[]> {
    return this.#triggers.list(filter);
  }

  // Users, tokens, audit
  putUser(user: StoredUser): Promise<void> {
    return this.#access.putUser(user);
  }
  getUser(name: string): Promise<StoredUser | undefined> {
    return this.#access.getUser(name);
  }
  listUsers(): Promise<StoredUser[]> {
    return this.#access.listUsers();
  }
  deleteUser(name: string): Promise<boolean> {
    return this.#access.deleteUser(name);
  }
  putToken(token: StoredToken): Promise<void> {
    return this.#access.putToken(token);
  }
  findTokenByHash(hash: string): Promise<StoredToken | undefined> {
    return this.#access.findTokenByHash(hash);
  }
  listTokens(user?: string): Promise<StoredToken[]> {
    return this.#access.listTokens(user);
  }
  deleteToken(id: string): Promise<boolean> {
    return this.#access.deleteToken(id);
  }
  touchToken(id: string, at: string): Promise<void> {
    return this.#access.touchToken(id, at);
  }
  appendAudit(entries: AuditEntry[]): Promise<void> {
    return this.#access.insertAudit(entries);
  }
  purgeAudit(before: string, limit: number): Promise<number> {
    return this.#retention.purgeAudit(before, limit);
  }
  queryAudit(filter?: AuditFilter): Promise<StoredAuditEntry[]> {
    return this.#access.queryAudit(filter);
  }
  countAudit(filter?: AuditFilter): Promise<number> {
    return this.#access.countAudit(filter);
  }
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** Opens a PostgreSQL store and runs its migrations (creating the schema if one is named). */
export async function openPgStore(options: PgStoreOptions): Promise<PgStore> {
  const store = new PgStore(options);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
