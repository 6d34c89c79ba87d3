/**
 * The executor's I/O shell. It claims executor messages from the store, turns them into events, asks the
 * pure `reduce` for the next step, and writes the outcome — new state, changed task runs, consumed
 * messages deleted, new messages (worker jobs, timers, subflow creations) — in ONE transaction. Side
 * effects that are not messages (cancelling a running job in this process) happen after the commit.
 */
import { EventEmitter } from 'node:events';
import { type Execution, isTerminal, type TaskRun } from '../execution/types.ts';
import { type ExpressionServices, type LookupSources, Lookups } from '../expression/index.ts';
import type { Flow } from '../flow/types.ts';
import type { ExecutionWrite, NewQueueMessage, QueueMessage, Store } from '../store/types.ts';
import { newId } from '../util/ids.ts';
import type { WakeupSignal } from '../util/signal.ts';
import { admit, nextQueuedExecution } from './concurrency.ts';
import { assertExecutable, buildExecution, buildTriggeredExecution, storeFileInputs } from './create.ts';
import { effectToWrite, parentUpdate, stripTaskRuns } from './effects.ts';
import { FlowTriggers } from './flow-triggers.ts';
import type { FlowRepository } from './flows.ts';
import type { ExecutorMessage, SubflowSpec } from './messages.ts';
import { reduce } from './reduce.ts';
import type { ExecutorEvent, SideEffect } from './types.ts';

/**
 * How long a claim on an execution's messages lasts. Guards against an executor that dies mid-step: its
 * executions become claimable by another executor once this runs out. A step takes milliseconds, so
 * thirty seconds leaves a wide margin for a stalled event loop without delaying recovery much.
 */
const LEASE_MS = 30_000;
/** Executions handled per claim: bounds one transaction batch and the latency of the others. */
const BATCH = 64;
/**
 * Poll interval when nothing wakes us in-process: how soon work enqueued by another process (or a timer
 * coming due) is noticed. Timers are also waited for precisely (see `idleWait`).
 */
const POLL_MS = 500;

export interface ExecutorServiceOptions {
  store: Store;
  flows: FlowRepository;
  /** Identifies this process in queue leases: `host:pid:nonce`. */
  owner: string;
  wakeup: WakeupSignal;
  workerWakeup: WakeupSignal;
  /** Cancels a job running in this process (kill, timeout of a flowable parent). */
  cancelJob?: (taskRunId: string) => void;
  /** Puts a FILE input of a subflow into internal storage. */
  storeFile?: (executionId: string, flow: Flow, inputId: string, value: unknown) => Promise<unknown>;
  /** Where `kv()`... of SELECT inputs' `expression` and of defaults get their answers (asynchronously). */
  lookups?: LookupSources;
  /** Synchronous expression services, over those of `lookups` (tests). */
  expressionServices?: ExpressionServices;
}

export interface ExecutorServiceEvents {
  execution: [execution: Execution, changed: TaskRun[]];
  error: [error: unknown];
}

export class ExecutorService extends EventEmitter<ExecutorServiceEvents> {
  private readonly opts: ExecutorServiceOptions;
  /** Executions this process is driving, so that a step does not re-read them from the store. */
  private readonly cache = new Map<string, Execution>();
  private readonly triggers: FlowTriggers;
  private running = false;
  private loop?: Promise<void>;

  constructor(opts: ExecutorServiceOptions) {
    super();
    this.opts = opts;
    this.triggers = new FlowTriggers(opts.store, opts.flows);
  }

  /**
   * The latest state of an execution: the copy this executor keeps while it drives the execution, if
   * the store's version says nobody else (an operator command in another process) changed it since.
   */
  async getExecution(id: string): Promise<Execution | undefined> {
    const cached = this.cache.get(id);
    if (cached && (await this.opts.store.getExecutionVersion(id)) === (cached.version ?? 0)) return cached;
    this.cache.delete(id);
    return this.opts.store.getExecution(id);
  }

  /**
   * Stores a new execution in CREATED and queues its admission. Throws FlowDisabledError for a disabled
   * flow and InputError on bad inputs; then nothing is stored (not even FILE inputs).
   */
  async createExecution(req: Omit<Parameters<typeof buildExecution>[0], 'id' | 'now'> & { id?: string }) {
    assertExecutable(req.flow);
    const id = req.id ?? newId();
    const inputs = await this.storeFiles(id, req.flow, req.inputs);
    const now = Date.now();
    const execution = await this.withLookups((expressionServices) =>
      buildExecution({ ...req, inputs, id, now, expressionServices }),
    );
    await this.opts.store.writeExecution({
      execution: stripTaskRuns(execution),
      enqueue: [
        { queue: 'executor', executionId: id, payload: { type: 'created' } satisfies ExecutorMessage },
      ],
    });
    this.opts.wakeup.notify();
    this.emit('execution', execution, []);
    return execution;
  }

  /**
   * Reports an error that must not stop the executor. An EventEmitter throws when nobody listens to its
   * 'error' events, which would end the executor loop (and the process): then it goes to stderr.
   */
  private report(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else console.error(`baton executor: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Sends an operator event (kill, resume, restart...) to an execution. */
  async send(executionId: string, event: ExecutorEvent, availableAt?: number): Promise<void> {
    await this.opts.store.enqueue([{ queue: 'executor', executionId, payload: event, availableAt }]);
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
    await this.opts.store.releaseOwner(this.opts.owner);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const handled = await this.tick();
        // A full batch means more may be waiting; otherwise sleep until told (or a timer comes due):
        // an immediate second claim would almost always come back empty.
        if (handled < BATCH) await this.idleWait();
      } catch (error) {
        this.report(error);
        await this.opts.wakeup.wait(POLL_MS);
      }
    }
  }

  private async idleWait(): Promise<void> {
    // New work was announced while we worked: claim again without asking the store when.
    if (this.opts.wakeup.notified) return this.opts.wakeup.wait(0);
    const next = await this.opts.store.nextAvailableAt('executor');
    const untilNext = next === undefined ? POLL_MS : Math.max(0, next - Date.now());
    await this.opts.wakeup.wait(Math.min(POLL_MS, untilNext));
  }

  /** Claims and handles one batch of messages; returns how many executions it handled. */
  async tick(): Promise<number> {
    const messages = await this.opts.store.claim('executor', this.opts.owner, BATCH, LEASE_MS);
    if (messages.length === 0) return 0;
    const byExecution = new Map<string, QueueMessage[]>();
    for (const m of messages) {
      const list = byExecution.get(m.executionId);
      if (list) list.push(m);
      else byExecution.set(m.executionId, [m]);
    }
    const admittedNow = new Map<string, number>();
    const steps: Prepared[] = [];
    for (const [executionId, group] of byExecution) {
      try {
        steps.push(await this.prepare(executionId, group, admittedNow));
      } catch (error) {
        this.report(error);
      }
    }
    await this.commit(steps);
    return byExecution.size;
  }

  /**
   * Writes the steps of a batch. With a store that can group commits, one transaction holds them all
   * (each in its own savepoint, so one bad write does not sink the others): one commit instead of one
   * per execution is what lets many small executions run at once.
   */
  private async commit(steps: Prepared[]): Promise<void> {
    const { store } = this.opts;
    const errors = store.writeExecutions
      ? await store.writeExecutions(steps.map((s) => s.write))
      : await Promise.all(
          steps.map((s) =>
            store.writeExecution(s.write).then(
              () => undefined,
              (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
            ),
          ),
        );
    steps.forEach((step, i) => {
      const error = errors[i];
      if (error) {
        // Nothing of it was stored: forget the cached state, its messages are claimed again later.
        if (step.after) this.cache.delete(step.after.id);
        this.report(error);
        return;
      }
      if (!step.after) return;
      if (step.ended) this.cache.delete(step.after.id);
      else this.cache.set(step.after.id, step.after);
      this.afterCommit(step.effects, step.write);
      this.emit('execution', step.after, step.changed);
    });
  }

  /** Decides one execution's step from its claimed messages; nothing is written yet. */
  private async prepare(
    executionId: string,
    group: QueueMessage[],
    admittedNow: Map<string, number>,
  ): Promise<Prepared> {
    const { store } = this.opts;
    let execution = await this.getExecution(executionId);
    const write: ExecutionWrite = { ack: group.map((m) => m.id), enqueue: [], logs: [] };
    const events: ExecutorEvent[] = [];
    let created = false;
    for (const message of group) {
      const payload = message.payload as ExecutorMessage;
      if (payload.type === 'create-subflow') {
        if (execution) continue; // delivered twice: the execution exists already
        const made = await this.buildSubflow(executionId, payload.spec, write);
        if (!made) continue;
        execution = made;
        created = true;
        events.push(...(await admit(store, made, admittedNow, await this.flowOf(made))));
      } else if (payload.type === 'create-triggered') {
        if (execution) continue;
        execution = await this.buildTriggered(executionId, payload, write);
        if (!execution) continue;
        created = true;
        events.push(...(await admit(store, execution, admittedNow, await this.flowOf(execution))));
      } else if (payload.type === 'create-attempt') {
        if (execution) continue;
        execution = await this.buildAttempt(executionId, payload.fromExecutionId);
        if (!execution) continue;
        created = true;
        events.push(...(await admit(store, execution, admittedNow, await this.flowOf(execution))));
      } else if (payload.type === 'created') {
        if (execution && (execution.state.current === 'CREATED' || execution.state.current === 'QUEUED')) {
          events.push(...(await admit(store, execution, admittedNow, await this.flowOf(execution))));
        }
      } else {
        events.push(payload);
      }
    }
    if (!execution) return { write, effects: [], changed: [], ended: false };
    const flow = await this.flowOf(execution);
    const before = execution;
    const out = events.length > 0 ? reduce({ flow, execution, events, now: Date.now(), newId }) : undefined;
    const stepped = out?.execution ?? execution;
    const after = out || created ? { ...stepped, version: (execution.version ?? 0) + 1 } : stepped;
    // The execution reached its final state in this step (parents, triggers and queued executions hear
    // of it now), and it is settled once nothing runs any more (afterExecution tasks may still run after
    // the final state): only then are its queue rows deleted and its cached copy dropped.
    const ended = isTerminal(after.state.current) && (created || !isTerminal(before.state.current));
    const settled =
      isTerminal(after.state.current) && after.taskRuns.every((t) => isTerminal(t.state.current));
    for (const effect of out?.effects ?? []) effectToWrite(after, effect, write, settled);
    if (out || created) write.execution = stripTaskRuns(after);
    if (created) write.taskRuns = after.taskRuns;
    else if (out) write.taskRuns = out.changedTaskRuns;
    if (created && after.parentId) write.enqueue!.push(parentUpdate(after, flow));
    if (settled) write.purgeQueueOf = [after.id];
    if (ended) {
      if (after.parentId && !created) write.enqueue!.push(parentUpdate(after, flow));
      write.enqueue!.push(...(await this.triggers.onEnded(after, (w) => this.report(new Error(w)))));
      const queued = await nextQueuedExecution(store, flow, after.id);
      if (queued)
        write.enqueue!.push({ queue: 'executor', executionId: queued, payload: { type: 'created' } });
    }
    return { write, after, effects: out?.effects ?? [], changed: out?.changedTaskRuns ?? [], ended: settled };
  }

  private storeFiles(id: string, flow: Flow, inputs: Record<string, unknown> | undefined) {
    const { storeFile } = this.opts;
    return storeFileInputs(
      flow,
      inputs,
      storeFile ? (inputId, value) => storeFile(id, flow, inputId, value) : undefined,
    );
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

  /** Builds a subflow execution; on failure (unknown flow, bad inputs) tells the parent and returns undefined. */
  private async buildSubflow(
    id: string,
    spec: SubflowSpec,
    write: ExecutionWrite,
  ): Promise<Execution | undefined> {
    const parent = await this.getExecution(spec.parentExecutionId);
    const correlationId =
      parent?.labels.find((l) => l.key === 'system.correlationId')?.value ?? spec.parentExecutionId;
    try {
      const flow = await this.opts.flows.get(spec.namespace, spec.flowId, spec.revision);
      assertExecutable(flow);
      const inputs = await this.storeFiles(id, flow, spec.inputs);
      const now = Date.now();
      return await this.withLookups((expressionServices) =>
        buildExecution({
          id,
          flow,
          revision: flow.revision ?? 1,
          inputs,
          labels: spec.labels,
          trigger:
            spec.iteration === undefined
              ? spec.trigger
              : { ...spec.trigger, variables: { ...spec.trigger.variables, iteration: spec.iteration } },
          parentId: spec.parentExecutionId,
          parentTaskRunId: spec.parentTaskRunId,
          correlationId,
          now,
          expressionServices,
        }),
      );
    } catch (error) {
      write.enqueue!.push({
        queue: 'executor',
        executionId: spec.parentExecutionId,
        payload: {
          type: 'subflow-update',
          taskRunId: spec.parentTaskRunId,
          childExecutionId: id,
          state: 'FAILED',
          iteration: spec.iteration,
          error: error instanceof Error ? error.message : String(error),
        } satisfies ExecutorEvent,
      });
      return undefined;
    }
  }

  /**
   * Builds a flow-triggered execution. Its inputs are not validated (as in Kestra): what fails validation
   * is logged as a WARN line of the new execution. Returns undefined when the flow is gone or disabled.
   */
  private async buildTriggered(
    id: string,
    m: Extract<ExecutorMessage, { type: 'create-triggered' }>,
    write: ExecutionWrite,
  ): Promise<Execution | undefined> {
    try {
      const flow = await this.opts.flows.get(m.namespace, m.flowId, m.revision);
      const inputs = await this.storeFiles(id, flow, m.inputs);
      const now = Date.now();
      const { execution, warnings } = await this.withLookups((expressionServices) =>
        buildTriggeredExecution({
          id,
          flow,
          revision: flow.revision ?? 1,
          inputs,
          trigger: m.trigger,
          now,
          expressionServices,
        }),
      );
      const timestamp = new Date().toISOString();
      for (const message of warnings)
        write.logs!.push({
          executionId: id,
          namespace: execution.namespace,
          flowId: execution.flowId,
          level: 'WARN',
          message: `Flow trigger '${m.trigger.id}': ${message}; the execution starts anyway, as in Kestra`,
          timestamp,
        });
      return execution;
    } catch (error) {
      // Kestra starts nothing when the triggered flow is gone or disabled.
      this.report(error);
      return undefined;
    }
  }

  /**
   * Runs a pure build (rendering input expressions and defaults) until the `kv()`/jq lookups it makes are
   * answered: the store is read with its asynchronous API, and jq never blocks the executor.
   */
  private withLookups<T>(build: (services: ExpressionServices) => T): Promise<T> {
    const lookups = new Lookups(this.opts.lookups ?? {});
    const services = { ...lookups.services, ...this.opts.expressionServices };
    return lookups.run(() => build(services));
  }

  private async buildAttempt(id: string, fromId: string): Promise<Execution | undefined> {
    const from = await this.opts.store.getExecution(fromId);
    if (!from) return undefined;
    const flow = await this.opts.flows.get(from.namespace, from.flowId, from.flowRevision);
    const date = new Date().toISOString();
    return {
      ...from,
      id,
      originalId: from.originalId ?? from.id,
      attemptNumber: from.attemptNumber + 1,
      state: { current: 'CREATED', startDate: date, histories: [{ state: 'CREATED', date }] },
      taskRuns: [],
      outputs: undefined,
      error: undefined,
      flowRevision: flow.revision ?? from.flowRevision,
    };
  }
}

interface Prepared {
  write: ExecutionWrite;
  /** The execution after the step (absent when the messages were about nothing that exists). */
  after?: Execution;
  effects: SideEffect[];
  changed: TaskRun[];
  ended: boolean;
}
