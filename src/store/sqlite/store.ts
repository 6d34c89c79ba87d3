/**
 * The embedded SQLite backend of `Store`, on Node's built-in `node:sqlite`. Statements are prepared
 * once per connection and reused; each `writeExecution` is one BEGIN IMMEDIATE ... COMMIT.
 */
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
import { SqliteAccess } from './access.ts';
import { SqliteDb, type SqliteOptions } from './db.ts';
import { SqliteDeadLetters } from './dead-letters.ts';
import { executionStats } from './execution-stats.ts';
import { type ExecutionRow, SqliteExecutions } from './executions.ts';
import { SqliteFlows } from './flows.ts';
import { SqliteInstances } from './instances.ts';
import { SqliteKv } from './kv.ts';
import { SqliteLogs } from './logs.ts';
import { applyMigrations } from './migrations.ts';
import { SqliteOwners } from './owners.ts';
import { SqliteQueue } from './queue.ts';
import { SqliteRetention } from './retention.ts';
import { SqliteTriggers } from './triggers.ts';

export interface SqliteStoreOptions extends SqliteOptions {
  /** Clock in epoch ms, for queue visibility, leases and KV expiry. Defaults to Date.now. */
  now?: () => number;
}

export class SqliteStore implements Store {
  readonly #db: SqliteDb;
  readonly #now: () => number;
  #parts: Parts | undefined;

  constructor(options: SqliteStoreOptions) {
    this.#db = new SqliteDb(options);
    this.#now = options.now ?? Date.now;
  }

  /** Statements need the tables: they are prepared after the migrations ran. */
  get #p(): Parts {
    if (!this.#parts) throw new Error('SqliteStore used before migrate(): open it with openSqliteStore()');
    return this.#parts;
  }

  migrateSync(): void {
    applyMigrations(this.#db.db);
    const executions = new SqliteExecutions(this.#db);
    this.#parts ??= {
      flows: new SqliteFlows(this.#db, this.#now),
      executions,
      retention: new SqliteRetention(this.#db, executions),
      queue: new SqliteQueue(this.#db, this.#now),
      logs: new SqliteLogs(this.#db),
      kv: new SqliteKv(this.#db, this.#now),
      deadLetters: new SqliteDeadLetters(this.#db, this.#now),
      owners: new SqliteOwners(this.#db),
      instances: new SqliteInstances(this.#db),
      access: new SqliteAccess(this.#db),
      triggers: new SqliteTriggers(this.#db, this.#now),
    };
  }

  async migrate(): Promise<void> {
    this.migrateSync();
  }

  /** Effective pragmas of the connection (journal mode, synchronous, busy timeout, foreign keys). */
  settings(): ReturnType<SqliteDb['settings']> {
    return this.#db.settings();
  }

  async close(): Promise<void> {
    this.#parts = undefined;
    this.#db.close();
  }

  // Flows
  async saveFlow(namespace: string, id: string, source: string): Promise<StoredFlow> {
    return this.#p.flows.save(namespace, id, source);
  }
  async getFlow(namespace: string, id: string, revision?: number): Promise<StoredFlow | undefined> {
    return this.#p.flows.get(namespace, id, revision);
  }
  async listFlows(namespace?: string): Promise<StoredFlow[]> {
    return this.#p.flows.list(namespace);
  }
  async listRevisions(namespace: string, id: string): Promise<StoredFlow[]> {
    return this.#p.flows.revisions(namespace, id);
  }
  async deleteFlow(namespace: string, id: string): Promise<void> {
    this.#p.flows.delete(namespace, id);
  }
  async deleteFlowRevisions(namespace: string, id: string, revisions: number[]): Promise<number> {
    return this.#p.flows.deleteRevisions(namespace, id, revisions);
  }

  // Executions
  async getExecutionVersion(id: string): Promise<number | undefined> {
    return this.#p.executions.version(id);
  }

  async getExecution(id: string): Promise<Execution | undefined> {
    return this.#p.executions.get(id);
  }
  async listExecutions(filter?: ExecutionFilter): Promise<ExecutionRow[]> {
    return this.#p.executions.list(filter);
  }
  async countExecutions(filter?: ExecutionFilter): Promise<number> {
    return this.#p.executions.count(filter);
  }
  async executionStats(filter?: ExecutionFilter): Promise<ExecutionStats> {
    return executionStats(this.#db, filter);
  }
  async writeExecution(write: ExecutionWrite): Promise<void> {
    this.writeExecutionSync(write);
  }
  /** `writeExecution` without the promise, for callers that are synchronous anyway. */
  writeExecutionSync(write: ExecutionWrite): void {
    this.#db.tx(() => this.#apply(write));
  }
  /**
   * Group commit: several writes in one transaction, each still all-or-nothing (a SAVEPOINT each: a
   * write that fails is rolled back alone and its error returned at its index; the others commit).
   * One commit for the batch instead of one per write: the executor's way to reach its throughput.
   * A failure of the database itself (busy, full, read-only, I/O) is no fault of one write: it fails
   * the whole batch, which is rolled back (SQLite may already have rolled the transaction back).
   */
  async writeExecutions(writes: ExecutionWrite[]): Promise<(Error | undefined)[]> {
    return this.writeExecutionsSync(writes);
  }
  writeExecutionsSync(writes: readonly ExecutionWrite[]): (Error | undefined)[] {
    return this.#db.tx(() =>
      writes.map((w) => {
        try {
          this.#db.savepoint(() => this.#apply(w));
          return undefined;
        } catch (err) {
          if (isEnvironmentError(err)) throw err;
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
  }
  #apply(write: ExecutionWrite): void {
    const p = this.#p;
    if (write.execution) p.executions.upsert(write.execution, new Date(this.#now()).toISOString());
    if (write.taskRuns) p.executions.upsertTaskRuns(write.taskRuns);
    if (write.enqueue) p.queue.insert(write.enqueue);
    if (write.owners) p.owners.insert(write.owners);
    if (write.deadLetters) p.deadLetters.move(write.deadLetters);
    if (write.ack) p.queue.deleteIds(write.ack);
    if (write.purgeQueueOf) {
      p.queue.purgeExecutions(write.purgeQueueOf);
      p.owners.deleteFor(write.purgeQueueOf);
    }
    if (write.logs) p.logs.insertLogs(write.logs);
    if (write.audit) p.access.insertAudit(write.audit);
    if (write.metrics) p.logs.insertMetrics(write.metrics);
    for (const kv of write.kv ?? []) {
      if (kv.value === undefined) p.kv.delete(kv.namespace, kv.key);
      else p.kv.set(kv.namespace, kv.key, kv.value);
    }
    if (write.triggers) p.triggers.apply(write.triggers);
  }
  async deleteExecutions(ids: string[]): Promise<number> {
    return this.#p.executions.delete(ids);
  }
  async purgeEndedExecutions(scope: RetentionScope, limit: number): Promise<PurgedExecution[]> {
    return this.#p.retention.purgeEnded(scope, limit);
  }

  // Queue
  async enqueue(messages: NewQueueMessage[]): Promise<void> {
    const q = this.#p.queue;
    this.#db.tx(() => q.insert(messages));
  }
  async claim(
    queue: QueueName,
    owner: string,
    limit: number,
    leaseMs: number,
    options?: { workerGroup?: string },
  ): Promise<QueueMessage[]> {
    return this.#p.queue.claim(queue, owner, limit, leaseMs, options?.workerGroup);
  }
  /** SQLite answers in-process: the claim, then the version and next-message reads. */
  async claimExecutor(owner: string, limit: number, leaseMs: number): Promise<ExecutorClaim> {
    const messages = await this.claim('executor', owner, limit, leaseMs);
    const versions = new Map<string, number | undefined>();
    for (const m of messages)
      if (!versions.has(m.executionId))
        versions.set(m.executionId, await this.getExecutionVersion(m.executionId));
    return { messages, versions, nextAvailableAt: await this.nextAvailableAt('executor') };
  }
  async extendLease(ids: number[], owner: string, leaseMs: number): Promise<void> {
    this.#p.queue.extendLease(ids, owner, leaseMs);
  }
  async ack(ids: number[]): Promise<void> {
    const q = this.#p.queue;
    this.#db.tx(() => q.deleteIds(ids));
  }
  async recordJobProcess(id: number, owner: string, process: JobProcess | undefined): Promise<boolean> {
    return this.#p.queue.recordProcess(id, owner, process);
  }
  async releaseOwner(owner: string): Promise<number> {
    return this.#p.queue.releaseOwner(owner);
  }
  async listOwners(): Promise<string[]> {
    return this.#p.queue.listOwners();
  }
  async nextAvailableAt(queue: QueueName): Promise<number | undefined> {
    return this.#p.queue.nextAvailableAt(queue);
  }
  async countQueue(queue?: QueueName): Promise<number> {
    return this.#p.queue.count(queue);
  }
  async listDeadLetters(filter?: { executionId?: string; limit?: number }): Promise<DeadLetter[]> {
    return this.#p.deadLetters.list(filter);
  }

  // Execution owners
  async getExecutionOwner(executionId: string): Promise<string | undefined> {
    return this.#p.owners.get(executionId);
  }
  async listExecutionOwners(): Promise<string[]> {
    return this.#p.owners.owners();
  }
  async adoptExecutions(from: string, to: string): Promise<string[]> {
    return this.#p.owners.adopt(from, to);
  }
  async beatInstance(instance: ClusterInstance): Promise<void> {
    this.#p.instances.beat(instance);
  }

  async listInstances(): Promise<ClusterInstance[]> {
    return this.#p.instances.list();
  }

  async deleteInstance(id: string): Promise<boolean> {
    return this.#p.instances.delete(id);
  }

  async listOwnedExecutions(owner: string): Promise<OwnedExecution[]> {
    return this.#p.owners.owned(owner);
  }

  // Logs and metrics
  async appendLogs(entries: LogEntry[]): Promise<void> {
    const l = this.#p.logs;
    this.#db.tx(() => l.insertLogs(entries));
  }
  async queryLogs(filter: LogFilter): Promise<StoredLog[]> {
    return this.#p.logs.query(filter);
  }
  async deleteLogs(filter: LogDeleteFilter): Promise<number> {
    return this.#p.logs.delete(filter);
  }
  async appendMetrics(entries: MetricEntry[]): Promise<void> {
    const l = this.#p.logs;
    this.#db.tx(() => l.insertMetrics(entries));
  }
  async queryMetrics(executionId: string): Promise<MetricEntry[]> {
    return this.#p.logs.metrics(executionId);
  }

  // Key-value store
  async kvSet(
    namespace: string,
    key: string,
    value: unknown,
    options?: { ttlMs?: number; overwrite?: boolean },
  ): Promise<boolean> {
    return this.#p.kv.set(namespace, key, value, options);
  }
  async kvGet(namespace: string, key: string): Promise<KvEntry | undefined> {
    return this.#p.kv.get(namespace, key);
  }
  async kvList(namespace: string, prefix?: string): Promise<KvEntry[]> {
    return this.#p.kv.list(namespace, prefix);
  }
  async kvScan(): Promise<KvEntry[]> {
    return this.#p.kv.scan();
  }
  async kvDelete(namespace: string, key: string): Promise<boolean> {
    return this.#p.kv.delete(namespace, key);
  }

  // Trigger states
  async getTriggerState(key: TriggerKey): Promise<TriggerState | undefined> {
    return this.#p.triggers.get(key);
  }
  async listTriggerStates(filter?: TriggerStateFilter): Promise<TriggerState[]> {
    return this.#p.triggers.list(filter);
  }

  // Users, tokens, audit
  async putUser(user: StoredUser): Promise<void> {
    this.#p.access.putUser(user);
  }
  async getUser(name: string): Promise<StoredUser | undefined> {
    return this.#p.access.getUser(name);
  }
  async listUsers(): Promise<StoredUser[]> {
    return this.#p.access.listUsers();
  }
  async deleteUser(name: string): Promise<boolean> {
    return this.#p.access.deleteUser(name);
  }
  async putToken(token: StoredToken): Promise<void> {
    this.#p.access.putToken(token);
  }
  async findTokenByHash(hash: string): Promise<StoredToken | undefined> {
    return this.#p.access.findTokenByHash(hash);
  }
  async listTokens(user?: string): Promise<StoredToken[]> {
    return this.#p.access.listTokens(user);
  }
  async deleteToken(id: string): Promise<boolean> {
    return this.#p.access.deleteToken(id);
  }
  async touchToken(id: string, at: string): Promise<void> {
    this.#p.access.touchToken(id, at);
  }
  async appendAudit(entries: AuditEntry[]): Promise<void> {
    this.#p.access.appendAudit(entries);
  }
  async purgeAudit(before: string, limit: number): Promise<number> {
    return this.#p.retention.purgeAudit(before, limit);
  }
  async queryAudit(filter?: AuditFilter): Promise<StoredAuditEntry[]> {
    return this.#p.access.queryAudit(filter);
  }
  async countAudit(filter?: AuditFilter): Promise<number> {
    return this.#p.access.countAudit(filter);
  }
}

interface Parts {
  flows: SqliteFlows;
  executions: SqliteExecutions;
  retention: SqliteRetention;
  queue: SqliteQueue;
  logs: SqliteLogs;
  kv: SqliteKv;
  deadLetters: SqliteDeadLetters;
  owners: SqliteOwners;
  instances: SqliteInstances;
  access: SqliteAccess;
  triggers: SqliteTriggers;
}

/** Opens (creating if needed) and migrates a SQLite store. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const store = new SqliteStore(options);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
