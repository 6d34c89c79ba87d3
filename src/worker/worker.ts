/**
 * The worker: claims jobs from the `worker` queue, runs them in slots, reports to the executor.
 *
 * Delivery is at least once. The result message and the ack of the job go out in one
 * `store.writeExecution`, so a crash between running and reporting re-runs the attempt (its lease runs
 * out) and never loses it; `ctx.idempotencyKey` lets a task that talks to the outside deduplicate.
 */

import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorEvent } from '../executor/types.ts';
import { envSecrets, type SecretProvider } from '../secrets/index.ts';
import { knownSecrets } from '../secrets/seal.ts';
import { storeFailureOf } from '../store/errors.ts';
import { withStoreRetry } from '../store/retry.ts';
import type { ExecutionWrite, QueueMessage } from '../store/types.ts';
import { WriteBatch } from '../store/write-batch.ts';
import type { RunFunction, RunnableModule } from '../tasks/context.ts';
import { parseDuration } from '../tasks/duration.ts';
import { ownProperties, renderProps, validateProps } from '../tasks/props.ts';
import { builtinTasks, type TaskRegistry } from '../tasks/registry.ts';
import { runners as defaultRunners, type RunnerLoader } from '../tasks/runners.ts';
import { runWorkerShutdownHooks } from '../tasks/shutdown-hooks.ts';
import { TaskError } from '../tasks/types.ts';
import { WakeupSignal } from '../util/signal.ts';
import { endPreviousAttempt, recordAttemptProcess } from './attempt-processes.ts';
import { createTaskRunContext } from './context.ts';
import { jobDir, sharedDir } from './job-folders.ts';
import { type AbortReason, failureResult, untilSettledOrAbandoned } from './job-outcome.ts';
import { startAttemptTrace } from './job-trace.ts';
import { JobLogger, SecretMasker } from './logger.ts';
import type { WorkerOptions } from './options.ts';
import { refusal } from './refuse.ts';
import { type ResultEvent, sealResult } from './sealing.ts';
import type { WorkerJobPayload } from './types.ts';
import { prepareSharedFolder } from './working-directory.ts';

/** Lease on a claimed job. Long enough that a busy event loop does not lose it between heartbeats. */
export const LEASE_MS = 30_000;
/**
 * Fallback poll of the store. The in-process wake-up signal covers the embedded case; in distributed mode
 * (executor in another process) or if a notification is lost, polling is what eventually finds the job.
 */
export const POLL_MS = 1_000;
/** Logs of a long task are written this often, so that `baton logs --follow` sees progress. */
export const LOG_FLUSH_MS = 1_000;
/** A job is reported as started only when it runs longer than this (see runJob). */
export const STARTED_REPORT_MS = 50;

export type { WorkerOptions } from './options.ts';

/**
 * A job being run: only what `cancel` and `stop` need. Its message and payload live in `runJob`, and its
 * controller and `done` are dropped when it ends. Most job objects are in the old generation by then (V8
 * moved nearly all of them there in a ForEach over 100,000 values, pages of young objects mostly alive
 * being promoted whole), where a dead one stays until the next full collection, keeping alive what it
 * still points to: the message and payload it held then took about 40 MB more to the old generation.
 */
interface RunningJob {
  taskRunId: string;
  controller?: AbortController;
  abort?: AbortReason;
  done?: Promise<void>;
}

export class Worker {
  /** The last claim took as many jobs as we had free slots: more may be waiting. */
  private saturated = false;
  private readonly opts: WorkerOptions;
  readonly slots: number;
  private readonly results: WriteBatch;
  private readonly leaseMs: number;
  private readonly signal: WakeupSignal;
  private readonly secrets: SecretProvider;
  private readonly runners: Record<string, RunnerLoader>;
  private readonly registry: TaskRegistry;
  private readonly root: string;
  private readonly jobs = new Map<number, RunningJob>();
  private readonly modules = new Map<RunnerLoader, RunnableModule>();
  private stopping = false;
  private loop?: Promise<void>;
  private heartbeat?: NodeJS.Timeout;

  constructor(opts: WorkerOptions) {
    this.opts = opts;
    this.slots = opts.slots ?? 32;
    this.results = new WriteBatch(opts.store);
    this.leaseMs = opts.leaseMs ?? LEASE_MS;
    this.signal = opts.wakeup ?? new WakeupSignal();
    this.secrets = opts.secrets ?? envSecrets();
    this.runners = opts.runners ?? defaultRunners;
    this.registry = opts.registry ?? builtinTasks;
    this.root = opts.workingDirRoot ?? join(tmpdir(), 'baton-worker');
  }

  get runningCount(): number {
    return this.jobs.size;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    // A worker that dies stops extending: its leases run out and the jobs are claimed again elsewhere.
    this.heartbeat = setInterval(() => void this.extendLeases(), Math.max(10, Math.floor(this.leaseMs / 3)));
    this.loop = this.claimLoop();
  }

  /** Kills the running job of this task run, if this worker holds it. The result is KILLED. */
  cancel(taskRunId: string): boolean {
    let found = false;
    for (const job of this.jobs.values()) {
      if (job.taskRunId === taskRunId) {
        this.abortJob(job, { kind: 'kill' });
        found = true;
      }
    }
    return found;
  }

  /**
   * Stops claiming. `drain` (default) waits for running jobs to finish; otherwise they are aborted and
   * their messages released at once, so another worker re-runs those attempts.
   */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.signal.notify();
    await this.loop;
    this.loop = undefined;
    if (options.drain === false)
      for (const job of this.jobs.values()) this.abortJob(job, { kind: 'shutdown' });
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
    clearInterval(this.heartbeat);
    if (options.drain === false)
      await this.opts.store.releaseOwner(this.opts.workerId).catch(this.reportError);
    // Connection pools and the like that task families keep open between jobs.
    await runWorkerShutdownHooks();
  }

  /** Removes the shared folder of a WorkingDirectory once its children are done. */
  async removeWorkingDirectory(key: string): Promise<void> {
    await rm(sharedDir(this.root, key), { recursive: true, force: true });
  }

  /**
   * A runnable's module, imported once: `import()` of a loaded module still goes through the module
   * loader (resolution, promises) on every call, kilobytes and microseconds per job.
   */
  private load(loader: RunnerLoader): Promise<RunnableModule> | RunnableModule {
    const loaded = this.modules.get(loader);
    if (loaded) return loaded;
    return loader().then((mod) => {
      this.modules.set(loader, mod);
      return mod;
    });
  }

  private reportError = (error: unknown): void => {
    if (this.opts.onError) this.opts.onError(error);
    else console.error(`worker ${this.opts.workerId}:`, error);
  };

  private async claimLoop(): Promise<void> {
    const pollMs = this.opts.pollMs ?? POLL_MS;
    while (!this.stopping) {
      const free = this.slots - this.jobs.size;
      let claimed = 0;
      this.saturated = free <= 0;
      if (free > 0) {
        try {
          const messages = await withStoreRetry(() =>
            this.opts.store.claim('worker', this.opts.workerId, free, this.leaseMs, {
              workerGroup: this.opts.workerGroup,
            }),
          );
          this.opts.claimLag?.observe(messages);
          for (const m of messages) {
            const refused = refusal(m);
            if (refused) await this.refuse(refused);
            else this.startJob(m);
          }
          claimed = messages.length;
          this.saturated = claimed === free;
        } catch (error) {
          this.reportError(error);
        }
      }
      if (this.stopping) break;
      if (claimed > 0 && claimed === free) continue; // there may be more waiting: claim again when a slot frees
      // Jobs are never scheduled for later (timers are the executor's), so there is no due time to wait
      // for: in-process dispatches wake us, and the poll picks up the rest (another process's jobs, jobs
      // of a dead worker whose lease ran out).
      await this.signal.wait(pollMs);
    }
  }

  /** Moves a job aside instead of running it (see refuse.ts) and tells the executor. */
  private async refuse(write: ExecutionWrite): Promise<void> {
    await withStoreRetry(() => this.opts.store.writeExecution(write));
    this.opts.notifyExecutor?.();
  }

  private async extendLeases(): Promise<void> {
    const ids = [...this.jobs.keys()];
    if (ids.length === 0) return;
    await this.opts.store.extendLease(ids, this.opts.workerId, this.leaseMs).catch(this.reportError);
  }

  private startJob(message: QueueMessage): void {
    const sent = message.payload as WorkerJobPayload;
    // A message claimed again (the worker that held it died) is a new attempt of the same task run.
    const payload = { ...sent, attempt: sent.attempt + Math.max(0, message.attempts - 1) };
    const controller = new AbortController();
    const job: RunningJob = { taskRunId: payload.taskRunId, controller };
    this.jobs.set(message.id, job);
    job.done = this.runJob(job, message, payload, controller.signal)
      .catch(this.reportError)
      .finally(() => {
        this.jobs.delete(message.id);
        job.controller = undefined;
        job.done = undefined;
        // A slot is free: claim again, but only if the last claim was limited by our slots (otherwise
        // the queue was drained then, and new jobs wake us themselves).
        if (this.saturated) this.signal.notify();
      });
  }

  private abortJob(job: RunningJob, reason: RunningJob['abort'] & object): void {
    if (job.abort) return;
    job.abort = reason;
    job.controller?.abort(
      new Error(reason.kind === 'timeout' ? `Timeout after ${reason.timeout}` : 'Killed'),
    );
  }

  private async runJob(
    job: RunningJob,
    message: QueueMessage,
    payload: WorkerJobPayload,
    signal: AbortSignal,
  ): Promise<void> {
    const { store } = this.opts;
    // Most tasks end within milliseconds: they are reported once, with their result (the executor opens
    // the attempt then). Only a task still running after STARTED_REPORT_MS is reported as started, so
    // that it shows RUNNING while it works. This saves two transactions per short task.
    const startedTimer = setTimeout(() => {
      store
        .enqueue([
          {
            queue: 'executor',
            executionId: payload.executionId,
            payload: {
              type: 'task-started',
              taskRunId: payload.taskRunId,
              attempt: payload.attempt,
              workerId: this.opts.workerId,
              traceparent,
            } satisfies ExecutorEvent & { traceparent?: string },
          },
        ])
        .then(() => this.opts.notifyExecutor?.(), this.reportError);
    }, STARTED_REPORT_MS);

    const { traceparent } = payload;
    const trace = startAttemptTrace(message, payload, this.opts.workerId);
    const masker = new SecretMasker();
    // The secrets the execution knew before this attempt: those it obtains besides are reported.
    let knownBefore: ReadonlySet<string> = new Set();
    let logger: JobLogger | undefined;
    let flushTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let workingDir: string | undefined;
    let result: ResultEvent;
    const base = { type: 'task-result' as const, taskRunId: payload.taskRunId, attempt: payload.attempt };
    // Set once the job is loaded: a database failure before that is not the task's (see the catch).
    let loadedJob = false;
    try {
      // A script an earlier attempt left running (its baton died) is ended before this one runs.
      const previous = await endPreviousAttempt(store, message, this.opts.workerId, this.reportError);
      // Read from the store: a connection dropped right after the claim is retried, not the task failed.
      const loaded = await withStoreRetry(() => this.opts.loadJob(payload));
      loadedJob = true;
      trace.describe(loaded.execution);
      const task = loaded.task ?? payload.task;
      // Its SECRET inputs and what earlier tasks obtained from `secret()`: masked in this task's logs too.
      knownBefore = new Set(knownSecrets(loaded.flow, loaded.execution, this.opts.cipher));
      for (const value of knownBefore) masker.add(value);
      logger = new JobLogger(
        {
          executionId: payload.executionId,
          taskRunId: payload.taskRunId,
          taskId: task.id,
          attemptNumber: payload.attempt,
          namespace: loaded.execution.namespace,
          flowId: loaded.execution.flowId,
        },
        masker,
        task.logLevel,
      );
      if (previous) logger.logAlways('WARN', previous);
      const jobLogger = logger;
      flushTimer = setInterval(() => void this.flushLogs(jobLogger), this.opts.logFlushMs ?? LOG_FLUSH_MS);
      // The folder is made on first use: most tasks (Log, Return...) never touch it.
      const dir = () => {
        workingDir ??= jobDir(this.root, payload);
        return workingDir;
      };
      const ctx = createTaskRunContext({
        job: { ...loaded, task },
        payload,
        logger,
        signal,
        workingDir: dir,
        processStarted: (pgid) =>
          recordAttemptProcess(store, message, this.opts.workerId, pgid, this.reportError),
        services: {
          store,
          storage: this.opts.storage,
          secrets: this.secrets,
          resumeExecution: this.opts.resumeExecution ?? ((id, inputs) => this.enqueueResume(id, inputs)),
          expressionServices: this.opts.expressionServices,
          jqTimeLimitMs: this.opts.jqTimeLimitMs,
          cipher: this.opts.cipher,
          envs: this.opts.envs,
          registry: this.registry,
        },
      });
      if (task.timeout !== undefined && task.timeout !== null) {
        const text = String(await ctx.renderAsync(task.timeout));
        const ms = parseDuration(text, 'timeout');
        timeoutTimer = setTimeout(() => this.abortJob(job, { kind: 'timeout', timeout: text }), ms);
      }
      if (payload.workingDirectory)
        await prepareSharedFolder(ctx, loaded, payload, sharedDir(this.root, payload.workingDirectory));
      const definition = this.registry.find(task.type);
      const loader = this.runners[task.type] ?? this.runners[definition?.type ?? ''];
      if (!loader)
        throw new TaskError(`no runnable implementation for task type ${task.type}`, { retryable: false });
      const mod = await this.load(loader);
      // Rendered through lookups: kv(), read(), jq... are awaited, never blocking the process.
      const props = await ctx.withLookups(() =>
        renderProps(ownProperties(task), definition, ctx.render, mod.raw),
      );
      validateProps(props, definition);
      const out = await untilSettledOrAbandoned((mod.run as unknown as RunFunction)(ctx, props), signal);
      if (job.abort) throw signal.reason;
      result = { ...base, state: out.state ?? 'SUCCESS', outputs: out.outputs ?? {}, effects: out.effects };
    } catch (error) {
      if (!loadedJob && storeFailureOf(error)) {
        // The database could not be read for long (the process stops on it, see onError): the job is
        // left to its lease, to be claimed again when that runs out, instead of failing a task that
        // never ran (which showed as a FAILED task run without a log line).
        trace.end('RELEASED', String(error));
        this.reportError(error);
        return;
      }
      result = failureResult(base, job.abort, error, masker);
      logger?.logAlways('ERROR', result.error ?? 'failed');
    } finally {
      clearTimeout(startedTimer);
      clearTimeout(timeoutTimer);
      clearInterval(flushTimer);
    }
    trace.end(job.abort?.kind === 'shutdown' ? 'RELEASED' : result.state, result.error);
    if (job.abort?.kind === 'shutdown') return; // released in stop(): another worker re-runs the attempt
    logger?.close();
    if (workingDir && !payload.workingDirectory) await rm(workingDir, { recursive: true, force: true });
    result = sealResult(result, masker, knownBefore, this.opts.cipher);
    const logs = logger?.drainLogs() ?? [];
    const metrics = logger?.drainMetrics() ?? [];
    // The heartbeat keeps extending the job's lease while this is retried: nobody re-runs it meanwhile.
    // Results of jobs ending together commit together (one transaction per event-loop turn).
    await this.results.write({
      // The execution's trace context goes back with the result: the executor's next step is in its trace.
      enqueue: [{ queue: 'executor', executionId: payload.executionId, payload: { ...result, traceparent } }],
      ack: [message.id],
      logs,
      metrics,
    });
    this.opts.notifyExecutor?.();
  }

  private async flushLogs(logger: JobLogger): Promise<void> {
    const logs = logger.drainLogs();
    if (logs.length > 0) await this.opts.store.appendLogs(logs).catch(this.reportError);
  }

  private async enqueueResume(executionId: string, inputs?: Record<string, unknown>): Promise<void> {
    const event: ExecutorEvent = inputs ? { type: 'resume', inputs } : { type: 'resume' };
    await this.opts.store.enqueue([{ queue: 'executor', executionId, payload: event }]);
    this.opts.notifyExecutor?.();
  }
}
