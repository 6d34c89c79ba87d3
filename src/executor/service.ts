/**
 * The executor's I/O shell. It claims executor messages from the store, turns them into events, asks the
 * pure `reduce` for the next step, and writes the outcome — new state, changed task runs, consumed
 * messages deleted, new messages (worker jobs, timers, subflow creations) — in ONE transaction. Side
 * effects that are not messages (cancelling a running job in this process) happen after the commit.
 *
 * Nothing stops its loop. A step that fails is retried, then given up on (failed-steps.ts); a failure
 * of the database itself is retried while that can help, else handed to `onError` as a
 * StoreUnavailableError, for the process to stop.
 */
import { EventEmitter } from 'node:events';
import { type Execution, isTerminal, type TaskRun } from '../execution/types.ts';
import type { Flow } from '../flow/types.ts';
import { withStoreRetry } from '../store/retry.ts';
import type { AuditEntry, ExecutionWrite, NewQueueMessage, QueueMessage } from '../store/types.ts';
import { WriteBatch, writeEach } from '../store/write-batch.ts';
import { newId } from '../util/ids.ts';
import { admit, nextQueuedExecution } from './concurrency.ts';
import {
  buildAttempt,
  buildSubflow,
  buildTriggered,
  type CreationDeps,
  type CreationRequest,
  prepareCreation,
  recordOwners,
  runWithLookups,
  storeFilesOf,
} from './creation.ts';
import { effectToWrite, parentUpdate, stripTaskRuns } from './effects.ts';
import { ExecutionCache } from './execution-cache.ts';
import { FailedSteps, type StepFailure } from './failed-steps.ts';
import { poisonReason } from './failures.ts';
import { FlowTriggers } from './flow-triggers.ts';
import { IdleWait, POLL_MS } from './idle-wait.ts';
import type { ExecutorMessage } from './messages.ts';
import { reduce } from './reduce.ts';
import type { ExecutorServiceOptions, PreparedStep as Prepared } from './service-options.ts';
import { endStepTrace, stampStep, startStepTrace, traceCreation } from './step-trace.ts';
import type { ExecutorEvent, SideEffect } from './types.ts';
import { routeToGroups } from './worker-groups.ts';

/**
 * How long a claim on an execution's messages lasts. Guards against an executor that dies mid-step: its
 * executions become claimable by another executor once this runs out. A step takes milliseconds, so
 * thirty seconds leaves a wide margin for a stalled event loop without delaying recovery much.
 */
const LEASE_MS = 30_000;
/** Executions handled per claim: bounds one transaction batch and the latency of the others. */
const BATCH = 64;

export interface ExecutorServiceEvents {
  execution: [execution: Execution, changed: TaskRun[]];
}

export class ExecutorService extends EventEmitter<ExecutorServiceEvents> {
  private readonly opts: ExecutorServiceOptions;
  /** Executions this process is driving, so that a step does not re-read them from the store. */
  private readonly cache: ExecutionCache;
  private readonly triggers: FlowTriggers;
  private readonly creation: CreationDeps;
  private readonly failures: FailedSteps;
  /** Creations of concurrent callers committed together. */
  private readonly creations: WriteBatch;
  private running = false;
  private readonly idle: IdleWait;
  private loop?: Promise<void>;

  constructor(opts: ExecutorServiceOptions) {
    super();
    this.opts = opts;
    this.cache = new ExecutionCache(opts.store);
    this.idle = new IdleWait(opts.store, opts.wakeup);
    this.triggers = new FlowTriggers(opts.store, opts.flows);
    this.creations = new WriteBatch(opts.store);
    this.creation = {
      flows: opts.flows,
      getExecution: (id) => this.getExecution(id),
      storeFiles: (id, flow, inputs) => storeFilesOf(opts.storeFile, id, flow, inputs),
      withLookups: (build) => runWithLookups(opts.lookups, opts.expressionServices, build),
      report: (error) => this.report(error),
      cipher: opts.cipher,
      envs: opts.envs,
    };
    this.failures = new FailedSteps({
      store: opts.store,
      owner: opts.owner,
      getExecution: (id) => this.getExecution(id),
      flowOf: (execution) => this.flowOf(execution),
      report: (error) => this.report(error),
      gaveUp: (after, changed, cancel) => {
        this.cache.drop(after.id);
        for (const id of cancel) this.opts.cancelJob?.(id);
        this.opts.wakeup.notify();
        this.emit('execution', after, changed);
      },
    });
  }

  /**
   * The latest state of an execution: the copy this executor keeps while it drives the execution, if
   * the store's version says nobody else (an operator command in another process) changed it since.
   */
  getExecution(id: string): Promise<Execution | undefined> {
    return this.cache.get(id);
  }

  /** This executor's copy of an execution, if it is at `version` (no store read: see WorkerJobPayload). */
  cachedAt(id: string, version: number): Execution | undefined {
    return this.cache.at(id, version);
  }

  /**
   * Stores a new execution in CREATED and queues its admission; this process is recorded as its owner
   * (it drives it to its end). Throws FlowDisabledError for a disabled flow and InputError on bad
   * inputs; then nothing is stored (not even FILE inputs). `audit`: lines of the audit log committed with
   * the creation (who started it, from where).
   */
  async createExecution(req: CreationRequest & { audit?: AuditEntry[] }): Promise<Execution> {
    const { execution, write } = await this.prepareExecution(req);
    await this.creations.write(req.audit ? { ...write, audit: req.audit } : write);
    this.created(execution);
    return execution;
  }

  /**
   * `createExecution` without the write: the execution and the write that creates it, for a caller
   * that commits more with it (the scheduler: the trigger's next date). Call `created` once committed.
   */
  prepareExecution(req: CreationRequest): Promise<{ execution: Execution; write: ExecutionWrite }> {
    return prepareCreation(this.creation, this.opts.owner, req).then(traceCreation);
  }

  /** A prepared execution was written: the executor takes it up (from this copy), listeners hear of it. */
  created(execution: Execution): void {
    if (this.running) this.cache.keep(execution);
    this.opts.wakeup.notify();
    this.emit('execution', execution, []);
  }

  private report(error: unknown): void {
    if (this.opts.onError) this.opts.onError(error);
    else console.error(`baton executor: ${error instanceof Error ? error.message : String(error)}`);
  }

  /**
   * Sends an operator event (kill, resume, restart...) to an execution. With `own`, this process drives
   * the execution to its end from now on, unless one is recorded already (a `baton run` waiting for it).
   */
  async send(
    executionId: string,
    event: ExecutorEvent,
    options: { availableAt?: number; own?: boolean } = {},
  ): Promise<void> {
    const { availableAt, own } = options;
    await withStoreRetry(() =>
      this.opts.store.writeExecution({
        enqueue: [{ queue: 'executor', executionId, payload: event, availableAt }],
        owners: own ? [{ executionId, owner: this.opts.owner }] : undefined,
      }),
    );
    this.opts.wakeup.notify();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.opts.wakeup.notify();
    await this.loop;
    // A database that cannot be written any more must not turn a clean stop into a crash.
    await this.opts.store.releaseOwner(this.opts.owner).catch((error: unknown) => this.report(error));
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const handled = await this.tick();
        // A full batch means more may be waiting; otherwise sleep until told (or a timer comes due):
        // an immediate second claim would almost always come back empty.
        if (handled < BATCH) await this.idle.wait(handled);
      } catch (error) {
        this.report(error);
        await this.opts.wakeup.wait(POLL_MS);
      }
    }
  }

  /** Claims and handles one batch of messages; returns how many executions it handled. */
  async tick(): Promise<number> {
    const { store, owner } = this.opts;
    const { messages, versions, nextAvailableAt } = await withStoreRetry(() =>
      store.claimExecutor(owner, BATCH, LEASE_MS),
    );
    this.idle.claimed(nextAvailableAt);
    if (messages.length === 0) return 0;
    this.opts.claimLag?.observe(messages);
    const byExecution = new Map<string, QueueMessage[]>();
    for (const m of messages) {
      const list = byExecution.get(m.executionId);
      if (list) list.push(m);
      else byExecution.set(m.executionId, [m]);
    }
    this.triggers.newBatch();
    const admittedNow = new Map<string, number>();
    const steps: Prepared[] = [];
    const failed: StepFailure[] = [];
    // Read all at once (in parallel on a network database), not 64 round trips one after the other. A
    // read's error is its step's (thrown in prepare), or nobody's for an execution held back.
    const reads = new Map(
      [...byExecution.keys()].map((id) => [id, this.cache.getAt(id, versions.get(id))] as const),
    );
    for (const read of reads.values()) read.catch(() => undefined);
    for (const [executionId, group] of byExecution) {
      if (await this.failures.holdIfWaiting(executionId, group)) {
        this.idle.leasesMoved();
        continue;
      }
      const poison = poisonReason(group);
      if (poison) {
        failed.push({ executionId, group, reason: poison, final: true });
        continue;
      }
      try {
        const trace = startStepTrace(executionId, group);
        steps.push({ ...(await this.prepare(executionId, group, admittedNow, reads)), trace });
      } catch (error) {
        failed.push({ executionId, group, error });
      }
    }
    failed.push(...(await this.commit(steps)));
    if (failed.length > 0) this.idle.leasesMoved(); // held until tried again
    for (const failure of failed) await this.failures.handle(failure);
    return byExecution.size;
  }

  /**
   * Writes the steps of a batch; returns those whose write failed. With a store that can group commits,
   * one transaction holds them all (each in its own savepoint, so one bad write does not sink the
   * others): one commit instead of one per execution is what lets many small executions run at once.
   * A failure of the database itself fails the whole batch: it is retried as a whole (no step of it was
   * written), then thrown.
   */
  private async commit(steps: Prepared[]): Promise<StepFailure[]> {
    const { store } = this.opts;
    for (const step of steps) stampStep(step);
    const writes = steps.map((s) => s.write);
    let errors: (Error | undefined)[];
    try {
      errors = await writeEach(store, writes);
    } catch (error) {
      for (const step of steps) if (step.after) this.cache.drop(step.after.id);
      throw error;
    }
    const failed: StepFailure[] = [];
    steps.forEach((step, i) => {
      const error = errors[i];
      endStepTrace(step, error);
      if (error) {
        failed.push({ executionId: step.executionId, group: step.group, error });
        return;
      }
      if (!step.after) return;
      if (step.ended) this.cache.drop(step.after.id);
      else this.cache.keep(step.after);
      this.afterCommit(step.effects, step.write);
      this.emit('execution', step.after, step.changed);
    });
    return failed;
  }

  /** Decides one execution's step from its claimed messages; nothing is written yet. */
  private async prepare(
    executionId: string,
    group: QueueMessage[],
    admittedNow: Map<string, number>,
    reads: Map<string, Promise<Execution | undefined>>,
  ): Promise<Prepared> {
    const { store } = this.opts;
    let execution = await reads.get(executionId);
    const write: ExecutionWrite = { ack: group.map((m) => m.id), enqueue: [], logs: [] };
    const events: ExecutorEvent[] = [];
    let created = false;
    for (const message of group) {
      const payload = message.payload as ExecutorMessage;
      let made: Execution | undefined;
      if (payload.type === 'create-subflow') {
        if (execution) continue; // delivered twice: the execution exists already
        made = await buildSubflow(this.creation, executionId, payload.spec, write);
      } else if (payload.type === 'create-triggered') {
        if (execution) continue;
        made = await buildTriggered(this.creation, executionId, payload, write);
      } else if (payload.type === 'create-attempt') {
        if (execution) continue;
        made = await buildAttempt(
          this.creation,
          executionId,
          await store.getExecution(payload.fromExecutionId),
        );
      } else if (payload.type === 'created') {
        if (execution && (execution.state.current === 'CREATED' || execution.state.current === 'QUEUED')) {
          events.push(...(await admit(store, execution, admittedNow, await this.flowOf(execution))));
        }
        continue;
      } else {
        events.push(payload as ExecutorEvent);
        continue;
      }
      if (!made) continue;
      execution = made;
      created = true;
      events.push(...(await admit(store, made, admittedNow, await this.flowOf(made))));
    }
    // Nothing was created (a flow gone, a subflow refused): its owner record goes with its messages.
    if (!execution)
      return {
        executionId,
        group,
        write: { ...write, purgeQueueOf: [executionId] },
        effects: [],
        changed: [],
        ended: false,
      };
    const flow = await this.flowOf(execution);
    const before = execution;
    const out =
      events.length > 0
        ? reduce({
            flow,
            execution,
            events,
            now: Date.now(),
            newId,
            cipher: this.opts.cipher,
            envs: this.opts.envs,
          })
        : undefined;
    const stepped = out?.execution ?? execution;
    const after = out || created ? { ...stepped, version: (execution.version ?? 0) + 1 } : stepped;
    // The execution reached its final state in this step (parents, triggers and queued executions hear
    // of it now), and it is settled once nothing runs any more (afterExecution tasks may still run after
    // the final state): only then are its queue rows deleted and its cached copy dropped.
    const ended = isTerminal(after.state.current) && (created || !isTerminal(before.state.current));
    const settled =
      isTerminal(after.state.current) && after.taskRuns.every((t) => isTerminal(t.state.current));
    const { effects, unserved } = await routeToGroups(out?.effects ?? [], flow, this.opts.workerGroupLive);
    for (const effect of effects) effectToWrite(after, effect, write, settled, unserved);
    if (out || created) write.execution = stripTaskRuns(after);
    if (created) write.taskRuns = after.taskRuns;
    else if (out) write.taskRuns = out.changedTaskRuns;
    if (created && after.parentId) write.enqueue!.push(parentUpdate(after, flow, this.opts.cipher));
    if (settled) write.purgeQueueOf = [after.id];
    if (ended) {
      if (after.parentId && !created) write.enqueue!.push(parentUpdate(after, flow, this.opts.cipher));
      const triggered = await this.triggers.onEnded(after, (w) => this.report(new Error(w)));
      write.enqueue!.push(...triggered.enqueue);
      if (triggered.kv.length > 0) write.kv = triggered.kv;
      const queued = await nextQueuedExecution(store, flow, after.id);
      if (queued)
        write.enqueue!.push({ queue: 'executor', executionId: queued, payload: { type: 'created' } });
    }
    await recordOwners(this.opts.store, this.opts.owner, after.id, write);
    return {
      executionId,
      group,
      write,
      after,
      effects: out?.effects ?? [],
      changed: out?.changedTaskRuns ?? [],
      ended: settled,
    };
  }

  private flowOf(execution: Execution): Promise<Flow> {
    return this.opts.flows.get(execution.namespace, execution.flowId, execution.flowRevision);
  }

  private afterCommit(effects: SideEffect[], write: ExecutionWrite) {
    for (const effect of effects) if (effect.kind === 'cancel-job') this.opts.cancelJob?.(effect.taskRunId);
    const queues = new Set((write.enqueue ?? []).map((m: NewQueueMessage) => m.queue));
    if (queues.has('worker')) this.opts.workerWakeup.notify();
    if (queues.has('executor')) this.opts.wakeup.notify();
  }
}

export type { ExecutorServiceOptions } from './service-options.ts';
