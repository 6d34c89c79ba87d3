/**
 * The storage contract. Two backends implement it: SQLite (embedded, default) and PostgreSQL (several
 * processes sharing one database; `src/store/open.ts` picks one from a path or URL). Both run the same
 * contract test suite (`test/store/contract.ts`). Keep it small: every method is one statement or one
 * transaction; the executor writes through `writeExecution`: a state change is one transaction.
 *
 * Glossary
 * - Queue message: a row of the `queue` table, addressed to one consumer kind (`executor` or `worker`).
 *   Executor messages carry events about an execution (created, worker result, kill, resume, a delay
 *   that came due). Worker messages carry jobs (a runnable task run to execute). A message becomes
 *   visible at `availableAt`: that is how retry waits, pause delays and timeouts are scheduled.
 * - Claim: a consumer takes messages for itself until `lockedUntil`. A consumer that dies lets its lease
 *   run out and the message is claimed again; that is what makes "at least once" hold.
 * - Ack: deleting a consumed message, in the same transaction as the state change it caused.
 * - Revision: flows are never updated in place; each save with a different source adds a revision.
 */
import type { Execution, LogEntry, LogLevel, MetricEntry, State, TaskRun } from '../execution/types.ts';
import type { ExecutorClaimStore } from './executor-claim.ts';
import type { RetentionStore } from './retention.ts';
import type { ExecutionStats } from './stats-types.ts';
import type { TriggerKey, TriggerState, TriggerStateFilter, TriggerStateWrite } from './trigger-types.ts';

export type { DailyStateCount, ExecutionStats, FlowRunStats } from './stats-types.ts';
export type {
  TriggerBackfill,
  TriggerKey,
  TriggerState,
  TriggerStateFilter,
  TriggerStateWrite,
} from './trigger-types.ts';

export type QueueName = 'executor' | 'worker';

export interface QueueMessage {
  id: number;
  queue: QueueName;
  /** The execution the message is about: messages of one execution are consumed in id order. */
  executionId: string;
  /** JSON-serialisable payload; its shape belongs to the consumer. */
  payload: unknown;
  /** Epoch milliseconds from which the message may be claimed. */
  availableAt: number;
  /** How many times the message was claimed (this claim included) without being consumed. */
  attempts: number;
  /**
   * Set when the stored payload cannot be read (a damaged row): why, and `payload` is then the raw text.
   * Retrying cannot help: the consumer moves the message aside (`ExecutionWrite.deadLetters`).
   */
  unreadable?: string;
  /**
   * Worker jobs: the process an earlier attempt of this job recorded (`Store.recordJobProcess`), kept
   * when its lease was released or ran out. It may still run (its `baton` died, not its script): the
   * attempt taking the job over ends it first.
   */
  process?: JobProcess;
}

/**
 * A process an attempt started, as recorded with its job: enough to find it again from another process
 * of the same machine, and to tell it from an unrelated process given the same pid since.
 */
export interface JobProcess {
  host: string;
  /** The process's pid, also the id of the process group it leads. */
  pid: number;
  /** When the process started (on Linux, clock ticks since boot: /proc/<pid>/stat field 22). */
  startTime: string;
  /** The machine's boot (Linux's boot_id): after a reboot, nothing of the last one runs. */
  bootId: string;
}

export interface NewQueueMessage {
  queue: QueueName;
  executionId: string;
  payload: unknown;
  /** Epoch milliseconds; defaults to now. */
  availableAt?: number;
  /**
   * Worker jobs: only workers of this group claim it (a task's `workerGroup.key`); without one, only
   * workers without a group (Kestra's default group).
   */
  workerGroup?: string;
}

/**
 * A running Baton process as it last reported itself (`Store.beatInstance`): what `baton cluster` shows,
 * and how processes on other machines are known to be alive. Its id is its queue owner id.
 */
export interface ClusterInstance {
  id: string;
  host: string;
  pid: number;
  /** `api`, `scheduler`, `executor`, `worker` (a `baton run`: executor and worker). */
  roles: string[];
  /** The worker group it claims jobs of (none: the default group). */
  workerGroup?: string;
  /** Worker slots: how many jobs it runs at once (0 without the worker role), and how many run now. */
  slots: number;
  busy: number;
  /** ISO instants. */
  startedAt: string;
  lastBeatAt: string;
  /**
   * Milliseconds the queue messages it claimed lately waited for it (see src/util/claim-lag.ts): how
   * far behind it is. Always read back; absent when written means 0.
   */
  queueLagMs?: number;
}

export interface StoredFlow {
  namespace: string;
  id: string;
  revision: number;
  /** The YAML as written by the user, kept byte for byte. */
  source: string;
  createdAt: string;
  deleted: boolean;
}

/** One atomic write of an execution's progress. Everything in it commits together or not at all. */
export interface ExecutionWrite {
  /** Upserted; `taskRuns` of this object are ignored (use `taskRuns`). */
  execution?: Omit<Execution, 'taskRuns'>;
  /** Upserted by id. */
  taskRuns?: TaskRun[];
  enqueue?: NewQueueMessage[];
  /** Ids of consumed messages to delete. */
  ack?: number[];
  /** Delete every queue message and the owner record of these executions (they settled). */
  purgeQueueOf?: string[];
  logs?: LogEntry[];
  metrics?: MetricEntry[];
  /** KV entries set (or deleted, when `value` is undefined) with the rest: Flow trigger window state. */
  kv?: KvWrite[];
  /**
   * Queue messages moved aside into the dead letters (with why), because handling them keeps failing.
   * Applied before `ack` and `purgeQueueOf`; a message already gone is skipped.
   */
  deadLetters?: { messageId: number; error: string }[];
  /**
   * The process (a queue owner id) that drives each of these executions to its end: recorded when the
   * execution, or the message that will create it, is first written (an owner already recorded is
   * kept). The record goes with the execution's queue rows (`purgeQueueOf`).
   */
  owners?: { executionId: string; owner: string }[];
  /**
   * Trigger states set or deleted with the rest: a schedule's next date is stored in the same
   * transaction as the execution its tick created, so that a tick fires once across crashes. A write
   * whose `expectVersion` no longer holds fails (TriggerStateConflictError) and the whole write with it.
   */
  triggers?: TriggerStateWrite[];
  /** Lines of the audit log that go with this change (who started an execution, from where). */
  audit?: AuditEntry[];
}

export interface KvWrite {
  namespace: string;
  key: string;
  /** JSON-serialisable; undefined deletes the entry. */
  value?: unknown;
}

/** A queue message moved aside because handling it kept failing (or it could not be read). */
export interface DeadLetter {
  id: number;
  /** The queue message's id. */
  messageId: number;
  queue: QueueName;
  executionId: string;
  /** The payload as stored: parsed when it is JSON, else the raw text. */
  payload: unknown;
  attempts: number;
  /** Why it was moved aside. */
  error: string;
  /** ISO instant. */
  failedAt: string;
}

/** An execution a process drives to its end (see `ExecutionWrite.owners`). */
export interface OwnedExecution {
  executionId: string;
  /** Absent while the execution is not created yet (its creation message is queued). */
  state?: State;
  /** Whether messages of the execution are still queued. */
  queued: boolean;
}

export interface ExecutionFilter {
  namespace?: string;
  flowId?: string;
  states?: State[];
  labels?: { key: string; value: string }[];
  /** Executions created at or after this ISO instant. */
  since?: string;
  /** Executions created at or before this ISO instant. */
  until?: string;
  /**
   * Executions of these namespaces or of namespaces below them (`company` holds `company.team`); an
   * empty list matches nothing. What a caller may see, and Kestra's namespace prefix filter.
   */
  namespaces?: string[];
  limit?: number;
  offset?: number;
}

export interface LogFilter {
  executionId: string;
  taskRunId?: string;
  taskId?: string;
  minLevel?: LogLevel;
  /** Only logs with a sequence number above this (for --follow). */
  afterSeq?: number;
  /** At most this many lines (the first ones by sequence): read long logs page by page. */
  limit?: number;
}

/** Which logs to delete: every given criterion must hold (none given = every log). */
export interface LogDeleteFilter {
  executionId?: string;
  /** Exactly this namespace (not its sub-namespaces). */
  namespace?: string;
  flowId?: string;
  /** Logs strictly before this ISO instant. */
  before?: string;
  /** Logs at or after this ISO instant (Kestra's PurgeLogs `startDate`). */
  startDate?: string;
  /** Logs at or before this ISO instant (Kestra's PurgeLogs `endDate`). */
  endDate?: string;
  levels?: LogLevel[];
}

export interface StoredLog extends LogEntry {
  seq: number;
}

export interface KvEntry {
  namespace: string;
  key: string;
  value: unknown;
  /** ISO instant after which the entry is gone. */
  expiresAt?: string;
  updatedAt: string;
}

export type {
  AuditEntry,
  AuditFilter,
  Role,
  RoleBinding,
  StoredAuditEntry,
  StoredToken,
  StoredUser,
} from './access-types.ts';

import type { AuditEntry, AuditFilter, StoredAuditEntry, StoredToken, StoredUser } from './access-types.ts';

/** Retention's purges are described in retention.ts, `claimExecutor` in executor-claim.ts. */
export interface Store extends RetentionStore, ExecutorClaimStore {
  /** Runs pending migrations. Idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // Flows and revisions
  /** Saves a flow source; returns the stored revision (unchanged source => same revision). */
  saveFlow(namespace: string, id: string, source: string): Promise<StoredFlow>;
  getFlow(namespace: string, id: string, revision?: number): Promise<StoredFlow | undefined>;
  listFlows(namespace?: string): Promise<StoredFlow[]>;
  listRevisions(namespace: string, id: string): Promise<StoredFlow[]>;
  deleteFlow(namespace: string, id: string): Promise<void>;
  /** Removes old revisions for good (PurgeFlows); returns how many were removed. */
  deleteFlowRevisions(namespace: string, id: string, revisions: number[]): Promise<number>;

  // Executions
  /** Reads an execution with all its task runs. */
  getExecution(id: string): Promise<Execution | undefined>;
  /** The `version` of a stored execution (cheap): checks a cached copy against the store. */
  getExecutionVersion(id: string): Promise<number | undefined>;
  listExecutions(filter?: ExecutionFilter): Promise<Omit<Execution, 'taskRuns'>[]>;
  countExecutions(filter?: ExecutionFilter): Promise<number>;
  /** Dashboards: counts per day and state, per-flow counts and duration percentiles (stats-types.ts). */
  executionStats(filter?: ExecutionFilter): Promise<ExecutionStats>;
  /** Applies one atomic write (see ExecutionWrite). */
  writeExecution(write: ExecutionWrite): Promise<void>;
  /**
   * Optional group commit: applies several writes in one transaction, each still all-or-nothing; returns
   * per write `undefined` or the error that rolled that write (alone) back. Cheaper than one
   * `writeExecution` per write when a consumer has a batch at hand.
   */
  writeExecutions?(writes: ExecutionWrite[]): Promise<(Error | undefined)[]>;
  deleteExecutions(ids: string[]): Promise<number>;

  // Queue
  enqueue(messages: NewQueueMessage[]): Promise<void>;
  /**
   * Claims up to `limit` visible messages of `queue` for `owner` until now + `leaseMs`. For the executor
   * queue, claims all visible messages of up to `limit` executions none of whose messages are held by
   * another owner, so one execution is handled by one executor at a time.
   */
  claim(
    queue: QueueName,
    owner: string,
    limit: number,
    leaseMs: number,
    options?: { workerGroup?: string },
  ): Promise<QueueMessage[]>;
  /** Extends the lease of messages still held by `owner` (worker heartbeat). */
  extendLease(ids: number[], owner: string, leaseMs: number): Promise<void>;
  /** Deletes messages (outside an execution write, e.g. a worker job whose result was enqueued). */
  ack(ids: number[]): Promise<void>;
  /**
   * Records the process started by the attempt that holds job `id` (undefined clears it), if `owner`
   * still holds its lease; returns whether it did. The record outlives the lease: it is handed to the
   * next claim of the job (`QueueMessage.process`), and goes with the job.
   */
  recordJobProcess(id: number, owner: string, process: JobProcess | undefined): Promise<boolean>;
  /** Makes messages held by `owner` claimable again now (a consumer shutting down or found dead). */
  releaseOwner(owner: string): Promise<number>;
  /** Owners that currently hold leases, for dead-process detection in embedded mode. */
  listOwners(): Promise<string[]>;
  /**
   * Optional wake-up across processes: calls `listener` soon after messages are enqueued on `queue` by
   * any other store (process) using the same database (PostgreSQL: LISTEN/NOTIFY, sent when the
   * enqueuing transaction commits, so the message is there when the listener claims). Not for messages
   * this store enqueued itself: the process that wrote them wakes its own consumers in-process, as on
   * SQLite, and hearing of them twice cost a second, empty claim each time. A hint only, never the sole trigger:
   * notifications are lost while the connection is down, and delayed messages (`availableAt`) notify
   * when enqueued, not when they come due; consumers keep their own timers. Resolves once listening,
   * with a function that stops this listener. Absent on SQLite (one process: in-process signals).
   * `onNotice` hears of the connection dropping, the attempts to listen again and their success.
   */
  onQueue?(
    queue: QueueName,
    listener: () => void,
    onNotice?: (message: string) => void,
  ): Promise<() => Promise<void>>;
  /** Epoch ms of the next message of `queue` that becomes visible, if any (to sleep until then). */
  nextAvailableAt(queue: QueueName): Promise<number | undefined>;
  countQueue(queue?: QueueName): Promise<number>;
  /** Messages moved aside (`ExecutionWrite.deadLetters`), oldest first; of one execution if given. */
  listDeadLetters(filter?: { executionId?: string; limit?: number }): Promise<DeadLetter[]>;

  // Execution owners: which process drives an execution to its end (see `ExecutionWrite.owners`)
  getExecutionOwner(executionId: string): Promise<string | undefined>;
  /** Every process recorded as the owner of an execution that has not settled yet. */
  listExecutionOwners(): Promise<string[]>;
  /** Hands every execution of owner `from` to `to` (a process that died); returns their ids. */
  adoptExecutions(from: string, to: string): Promise<string[]>;
  listOwnedExecutions(owner: string): Promise<OwnedExecution[]>;

  // Cluster: the running processes (see ClusterInstance)
  /** Records (or updates) a process's row: its heartbeat. */
  beatInstance(instance: ClusterInstance): Promise<void>;
  listInstances(): Promise<ClusterInstance[]>;
  /** Removes a process's row (it stopped, or was found dead long ago); returns whether it existed. */
  deleteInstance(id: string): Promise<boolean>;

  // Logs and metrics
  appendLogs(entries: LogEntry[]): Promise<void>;
  queryLogs(filter: LogFilter): Promise<StoredLog[]>;
  deleteLogs(filter: LogDeleteFilter): Promise<number>;
  appendMetrics(entries: MetricEntry[]): Promise<void>;
  queryMetrics(executionId: string): Promise<MetricEntry[]>;

  // Key-value store (namespaced). The `kv()` expression function reads through kvGet too (see Lookups).
  kvSet(
    namespace: string,
    key: string,
    value: unknown,
    options?: { ttlMs?: number; overwrite?: boolean },
  ): Promise<boolean>;
  kvGet(namespace: string, key: string): Promise<KvEntry | undefined>;
  kvList(namespace: string, prefix?: string): Promise<KvEntry[]>;
  /** Every entry of every namespace, expired ones included (with `expiresAt`): for purges. */
  kvScan(): Promise<KvEntry[]>;
  kvDelete(namespace: string, key: string): Promise<boolean>;

  // Trigger states (written through `writeExecution`'s `triggers`)
  getTriggerState(key: TriggerKey): Promise<TriggerState | undefined>;
  /** By namespace, flow and trigger id. */
  listTriggerStates(filter?: TriggerStateFilter): Promise<TriggerState[]>;

  // Users, API tokens and the audit log (the server's access control)
  putUser(user: StoredUser): Promise<void>;
  getUser(name: string): Promise<StoredUser | undefined>;
  listUsers(): Promise<StoredUser[]>;
  /** Deletes the user and the user's tokens; returns whether the user existed. */
  deleteUser(name: string): Promise<boolean>;
  putToken(token: StoredToken): Promise<void>;
  findTokenByHash(hash: string): Promise<StoredToken | undefined>;
  listTokens(user?: string): Promise<StoredToken[]>;
  deleteToken(id: string): Promise<boolean>;
  /** Records a use of a token (`lastUsedAt`). */
  touchToken(id: string, at: string): Promise<void>;
  /** Appends to the audit log; entries are never updated, and deleted only by `purgeAudit`. */
  appendAudit(entries: AuditEntry[]): Promise<void>;
  /** Newest first. */
  queryAudit(filter?: AuditFilter): Promise<StoredAuditEntry[]>;
  /** How many entries match the filter (its `limit` and `offset` ignored): for paged answers. */
  countAudit(filter?: AuditFilter): Promise<number>;
}
