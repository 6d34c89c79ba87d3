/**
 * Realtime triggers (see registry.ts): one consumer per enabled trigger, running as long as its flow
 * revision is the latest and the trigger is on. Each event it emits starts one execution (if the
 * trigger's `conditions` hold), written with the trigger's memory in one transaction; the consumer
 * hears back once it is stored, to acknowledge the event at its source. A consumer that fails (or
 * returns) is started again after a backoff that doubles up to a minute, back to a second once a run
 * lasted long enough to count as healthy. Realtime triggers never lock (as Kestra's).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TriggerState } from '../store/types.ts';
import { allHold } from '../triggers/conditions.ts';
import { commitStart, type FiringDeps, withoutMeta } from './firing.ts';
import type { ManagedTrigger } from './flow-index.ts';
import type { RealtimeTriggerType, TriggerEvent } from './registry.ts';
import { flowVariables } from './spec.ts';

/** First wait before restarting a failed consumer: a source that is briefly down is not hammered. */
export const INITIAL_BACKOFF_MS = 1_000;
/** Longest wait between restarts: a source down for long is still retried every minute. */
export const MAX_BACKOFF_MS = 60_000;
/** A run this long was healthy: the next failure waits the initial backoff again. */
const HEALTHY_RUN_MS = 30_000;
/** Attempts to store one event when the trigger's state keeps changing under it (ticks, API). */
const EMIT_ATTEMPTS = 10;

interface Consumer {
  revision: number | undefined;
  controller: AbortController;
  done: Promise<void>;
}

export class RealtimeRunner {
  private readonly deps: FiringDeps;
  private readonly consumers = new Map<string, Consumer>();
  /** Backoffs can be shortened by tests through the constructor. */
  private readonly backoff: { initial: number; max: number };

  constructor(deps: FiringDeps, backoff = { initial: INITIAL_BACKOFF_MS, max: MAX_BACKOFF_MS }) {
    this.deps = deps;
    this.backoff = backoff;
  }

  /** Starts the consumers that should run and stops those that should not any more. */
  reconcile(managed: Map<string, ManagedTrigger>, states: Map<string, TriggerState>): void {
    const wanted = new Map<string, ManagedTrigger>();
    for (const m of managed.values())
      if (m.type?.kind === 'realtime' && m.enabled && states.get(m.uid)?.disabled === false)
        wanted.set(m.uid, m);
    for (const [uid, c] of this.consumers) {
      const m = wanted.get(uid);
      if (!m || m.flow.revision !== c.revision) {
        c.controller.abort();
        this.consumers.delete(uid);
        this.deps.log.info({ trigger: uid }, 'realtime trigger stopped');
      }
    }
    for (const [uid, m] of wanted) {
      if (this.consumers.has(uid)) continue;
      const controller = new AbortController();
      this.consumers.set(uid, {
        revision: m.flow.revision,
        controller,
        done: this.run(m, m.type as RealtimeTriggerType, controller.signal),
      });
    }
  }

  private async run(m: ManagedTrigger, type: RealtimeTriggerType, signal: AbortSignal): Promise<void> {
    const { log } = this.deps;
    let wait = this.backoff.initial;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        // Read inside the try: a database unreachable for a moment is one more failed run, retried
        // after the backoff, instead of ending this consumer for good (a rejected `run` is not retried).
        const state = await this.deps.store.getTriggerState(m.key);
        log.info({ trigger: m.uid }, 'realtime trigger started');
        await type.subscribe(
          { flow: m.flow, trigger: m.trigger, data: state?.data, log, storage: this.deps.storage },
          (event, data) => this.emit(m, event, data),
          signal,
        );
        if (signal.aborted) return;
        log.warn({ trigger: m.uid }, 'realtime trigger ended by itself; starting it again');
      } catch (error) {
        if (signal.aborted) return;
        log.warn(
          { trigger: m.uid, err: (error as Error).message, retryInMs: wait },
          'realtime trigger failed',
        );
      }
      if (Date.now() - started >= HEALTHY_RUN_MS) wait = this.backoff.initial;
      await sleep(wait, undefined, { signal }).catch(() => undefined);
      wait = Math.min(wait * 2, this.backoff.max);
    }
  }

  private async emit(m: ManagedTrigger, event: TriggerEvent, data: unknown): Promise<void> {
    const { log } = this.deps;
    for (let attempt = 0; attempt < EMIT_ATTEMPTS; attempt++) {
      const state = await this.deps.store.getTriggerState(m.key);
      // Turned off meanwhile: the event starts nothing (the consumer is stopped at the next cycle).
      if (!state || state.disabled) return;
      const holds = allHold(
        m.trigger.conditions ?? [],
        {
          flow: m.flow,
          now: this.deps.now(),
          variables: { ...flowVariables(m.flow), trigger: event.variables },
        },
        (message) => log.warn({ trigger: m.uid }, message),
      );
      const next = { ...withoutMeta(state), data: data === undefined ? state.data : data };
      const started = await commitStart(
        this.deps,
        m.flow,
        m.trigger,
        state,
        next,
        holds ? { variables: event.variables } : undefined,
        { lock: false },
      );
      if (started !== undefined) return;
    }
    throw new Error(`could not store an event of realtime trigger ${m.uid}: its state kept changing`);
  }

  async stop(): Promise<void> {
    for (const c of this.consumers.values()) c.controller.abort();
    await Promise.allSettled([...this.consumers.values()].map((c) => c.done));
    this.consumers.clear();
  }
}
