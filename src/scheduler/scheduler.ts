/**
 * The scheduler: the server part that starts executions on its own, for the triggers of every enabled
 * flow that fire by themselves (schedules; polling and realtime trigger types of the registry). Flow
 * triggers run in the executor, webhooks in the API.
 *
 * It runs in cycles. Each cycle reads the flows (a changed flow is parsed once per revision) and the
 * trigger states, then per trigger: creates the state of a new trigger (starting from now), starts a
 * changed one afresh, drops the state of a removed one, applies `recoverMissedSchedules` once after a
 * start, releases triggers whose execution ended (`stopAfter`), and fires what is due. Every state
 * change is a compare-and-set write (with the execution it starts, if any): a state changed meanwhile
 * (the API, another scheduler) is decided again at the next cycle, from a fresh read.
 * Between cycles it sleeps until the next due date, at most `REFRESH_MS`, or until woken: an execution
 * a trigger started ended in this process, a poll finished, `notify()` (the API changed a trigger).
 */

import type { Execution } from '../execution/types.ts';
import { isTerminal } from '../execution/types.ts';
import type { FlowRepository } from '../executor/flows.ts';
import type { LocalStorage } from '../storage/local.ts';
import type { Store, TriggerState } from '../store/types.ts';
import { WakeupSignal } from '../util/signal.ts';
import {
  commitState,
  type ExecutionCreator,
  type FiringDeps,
  isLocked,
  type StateWrite,
  withoutMeta,
} from './firing.ts';
import { definitionOf, FlowIndex, type ManagedTrigger, triggerUid } from './flow-index.ts';
import { releaseIfEnded } from './locks.ts';
import { PollingRunner } from './polling.ts';
import { RealtimeRunner } from './realtime.ts';
import { type SchedulerLog, type TriggerRegistry, triggerTypes } from './registry.ts';
import { initialNextDate, recoverMissed } from './schedule.ts';
import { type StepResult, stepSchedule } from './schedules.ts';

/**
 * Longest sleep between cycles: how soon a flow deployed or changed, a trigger turned off through
 * another process, or an execution ended in another process is noticed.
 */
export const REFRESH_MS = 1_000;
/**
 * How often every locked trigger's execution is looked up. Executions ending in this process wake the
 * scheduler at once; this bounds the wait for those ending elsewhere (or missed).
 */
const LOCK_CHECK_MS = 5_000;
/** Sleep after a cycle that failed (the database busy...): it is tried again soon, not in a spin. */
const ERROR_WAIT_MS = 1_000;

export interface SchedulerOptions {
  store: Store;
  flows: FlowRepository;
  executor: ExecutionCreator & {
    on(event: 'execution', listener: (execution: Execution) => void): unknown;
    off(event: 'execution', listener: (execution: Execution) => void): unknown;
  };
  log: SchedulerLog;
  registry?: TriggerRegistry;
  /** Internal storage, handed to trigger types that write files for their executions. */
  storage?: LocalStorage;
  now?: () => number;
  /** Told of each execution a schedule tick started, with the tick's date (for the lag metric). */
  onStarted?: (execution: Execution, dueAt: number) => void;
  /** Realtime consumers' restart backoff (tests shorten it). */
  realtimeBackoff?: { initial: number; max: number };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export class Scheduler {
  private readonly opts: SchedulerOptions;
  private readonly deps: FiringDeps;
  private readonly index: FlowIndex;
  private readonly wakeup = new WakeupSignal();
  private readonly polling: PollingRunner;
  private readonly realtime: RealtimeRunner;
  /** Triggers whose missed ticks were dealt with since this scheduler started. */
  private readonly recovered = new Set<string>();
  /** Executions started by triggers that ended in this process since the last lock check. */
  private readonly ended = new Set<string>();
  private lastLockCheck = 0;
  private running = false;
  private loop?: Promise<void>;
  private readonly onExecution = (execution: Execution) => {
    if (!execution.trigger || !isTerminal(execution.state.current)) return;
    if (!this.index.manages(execution.trigger.type)) return;
    this.ended.add(execution.id);
    this.wakeup.notify();
  };

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
    const now = opts.now ?? Date.now;
    this.deps = {
      store: opts.store,
      executor: opts.executor,
      log: opts.log,
      now,
      storage: opts.storage,
      onScheduled: opts.onStarted,
    };
    const registry = opts.registry ?? triggerTypes;
    this.index = new FlowIndex(opts.store, opts.flows, registry, (o, m) => opts.log.warn(o, m));
    this.polling = new PollingRunner(this.deps, () => this.wakeup.notify());
    this.realtime = new RealtimeRunner(this.deps, opts.realtimeBackoff);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.opts.executor.on('execution', this.onExecution);
    this.loop = this.run();
  }

  /** Stops firing: the current cycle ends, polls in flight are aborted, realtime consumers stopped. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeup.notify();
    await this.loop;
    this.opts.executor.off('execution', this.onExecution);
    await this.polling.stop();
    await this.realtime.stop();
  }

  /** Something changed a trigger (the API): look again now. */
  notify(): void {
    this.wakeup.notify();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let waitMs: number;
      try {
        waitMs = await this.cycle();
      } catch (error) {
        this.opts.log.error({ err: (error as Error).message }, 'scheduler cycle failed');
        waitMs = ERROR_WAIT_MS;
      }
      if (this.running) await this.wakeup.wait(waitMs);
    }
  }

  /** One cycle; returns how long to sleep before the next one. */
  async cycle(): Promise<number> {
    const now = this.deps.now();
    const managed = await this.index.read();
    const states = new Map((await this.opts.store.listTriggerStates()).map((s) => [triggerUid(s), s]));
    const checkLocks = now - this.lastLockCheck >= LOCK_CHECK_MS;
    if (checkLocks) this.lastLockCheck = now;
    let wrote = false;
    let wakeAt = now + REFRESH_MS;
    for (const [uid, state] of states)
      if (this.index.manages(state.type) && !managed.has(uid)) {
        // Its flow was deleted, or the trigger removed from it (or not a trigger Baton can run any more).
        wrote = (await commitState(this.opts.store, state, undefined)) || wrote;
        this.opts.log.info({ trigger: uid }, 'trigger removed');
      }
    for (const m of managed.values()) {
      if (!this.running) break;
      const r = await this.step(m, states.get(m.uid), now, checkLocks);
      wrote = r.wrote || wrote;
      if (r.wakeAt !== undefined) wakeAt = Math.min(wakeAt, r.wakeAt);
    }
    if (checkLocks) this.ended.clear();
    if (this.running) this.realtime.reconcile(managed, states);
    // Something was written: its effects (the next tick of a backfill...) are decided from a fresh read.
    return wrote ? 0 : Math.max(0, wakeAt - this.deps.now());
  }

  private async step(
    m: ManagedTrigger,
    state: TriggerState | undefined,
    now: number,
    checkLocks: boolean,
  ): Promise<StepResult> {
    const { store, log } = this.opts;
    if (!state || state.type !== m.trigger.type || state.flowRevision !== m.flow.revision) {
      this.recovered.add(m.uid);
      return { wrote: await commitState(store, state, await this.adopt(m, state, now)) };
    }
    if (!this.recovered.has(m.uid)) {
      this.recovered.add(m.uid);
      if (m.schedule && state.nextDate !== undefined && !state.disabled) {
        const stored = Date.parse(state.nextDate);
        const recovered = recoverMissed(m.schedule, stored, now);
        if (recovered !== stored) {
          log.info(
            {
              trigger: m.uid,
              missedFrom: state.nextDate,
              nextDate: iso(recovered),
              policy: m.schedule.recover,
            },
            'missed schedules',
          );
          return {
            wrote: await commitState(store, state, { ...withoutMeta(state), nextDate: iso(recovered) }),
          };
        }
      }
    }
    // A trigger whose next date has come while it waits for its execution: that execution is looked
    // up every cycle, not every LOCK_CHECK_MS. It may have ended in another process (no event here):
    // a one-second schedule whose executions another executor ran fired every 3 to 5 s.
    const due = state.nextDate !== undefined && Date.parse(state.nextDate) <= now;
    if (
      state.executionId !== undefined &&
      (checkLocks || this.ended.has(state.executionId) || (due && isLocked(state)))
    ) {
      this.ended.delete(state.executionId);
      if (await releaseIfEnded(store, log, m, state)) return { wrote: true };
    }
    if (m.schedule) return stepSchedule(this.deps, m, m.schedule, state, now);
    if (m.type?.kind === 'polling') return this.polling.step(m, m.type, state, now);
    return { wrote: false };
  }

  /**
   * The state of a trigger seen for the first time, or in a new revision of its flow: a trigger whose
   * definition changed starts afresh from now (its memory and backfill dropped), as a new one; an
   * unchanged one only records the revision. What was turned off stays off, a lock stays.
   */
  private async adopt(m: ManagedTrigger, state: TriggerState | undefined, now: number): Promise<StateWrite> {
    const base: StateWrite = state ? withoutMeta(state) : { ...m.key, disabled: false };
    const record = { ...base, type: m.trigger.type, flowRevision: m.flow.revision };
    const changed =
      state === undefined ||
      (state.flowRevision !== undefined &&
        (await this.index.definitionAt(m.key, state.flowRevision)) !== definitionOf(m.trigger));
    if (!changed) return record;
    if (state)
      this.opts.log.info({ trigger: m.uid, revision: m.flow.revision }, 'trigger changed: starts afresh');
    return {
      ...record,
      nextDate: m.schedule ? iso(initialNextDate(m.schedule, now)) : undefined,
      backfill: undefined,
      data: undefined,
    };
  }
}
