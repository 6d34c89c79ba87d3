/**
 * Polling triggers (see registry.ts): a trigger due (its `nextDate` passed), enabled and not locked is
 * polled in the background; what the poll finds starts one execution if the trigger's `conditions`
 * hold, written with the trigger's next poll date and its memory in one transaction. A trigger is never
 * polled twice at once, nor while an execution it started runs (unless `allowConcurrent`), as Kestra.
 * A poll that fails is logged and tried again at the next interval.
 */
import type { TriggerState } from '../store/types.ts';
import { allHold } from '../triggers/conditions.ts';
import { durationMs } from '../util/duration.ts';
import { commitStart, commitState, type FiringDeps, isLocked, withoutMeta } from './firing.ts';
import type { ManagedTrigger } from './flow-index.ts';
import type { PollingTriggerType, PollResult } from './registry.ts';
import type { StepResult } from './schedules.ts';
import { flowVariables } from './spec.ts';

/** Kestra's default `interval` of polling triggers. */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/** The trigger's `interval` (ISO-8601), else its type's default. */
export const pollInterval = (m: ManagedTrigger, type: PollingTriggerType): number => {
  const own = m.trigger.interval === undefined ? undefined : durationMs(String(m.trigger.interval));
  return own ?? type.defaultIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
};

export class PollingRunner {
  private readonly deps: FiringDeps;
  private readonly wake: () => void;
  private readonly running = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(deps: FiringDeps, wake: () => void) {
    this.deps = deps;
    this.wake = wake;
  }

  /** Starts the poll of a due trigger; says when it is next due otherwise. */
  step(m: ManagedTrigger, type: PollingTriggerType, state: TriggerState, now: number): StepResult {
    if (!m.enabled || state.disabled || isLocked(state) || this.running.has(m.uid)) return { wrote: false };
    const due = state.nextDate === undefined ? now : Date.parse(state.nextDate);
    if (due > now) return { wrote: false, wakeAt: due };
    const polling = this.poll(m, type, state)
      .catch((error: unknown) =>
        this.deps.log.error({ trigger: m.uid, err: (error as Error).message }, 'polling trigger'),
      )
      .finally(() => {
        this.running.delete(m.uid);
        this.wake();
      });
    this.running.set(m.uid, polling);
    return { wrote: false };
  }

  private async poll(m: ManagedTrigger, type: PollingTriggerType, state: TriggerState): Promise<void> {
    const { log } = this.deps;
    const nextDate = new Date(this.deps.now() + pollInterval(m, type)).toISOString();
    let result: Awaited<ReturnType<PollingTriggerType['poll']>>;
    try {
      result = await type.poll(
        { flow: m.flow, trigger: m.trigger, data: state.data, log, storage: this.deps.storage },
        this.abort.signal,
      );
    } catch (error) {
      if (this.abort.signal.aborted) return;
      log.warn(
        { trigger: m.uid, err: (error as Error).message },
        'poll failed; trying again at the next interval',
      );
      await commitState(this.deps.store, state, { ...withoutMeta(state), nextDate });
      return;
    }
    if (this.abort.signal.aborted) {
      await this.settle(m, result, false);
      return;
    }
    const next = { ...withoutMeta(state), nextDate, data: result?.data ?? state.data };
    const event = result?.event;
    const holds =
      event !== undefined &&
      allHold(
        m.trigger.conditions ?? [],
        {
          flow: m.flow,
          now: this.deps.now(),
          variables: { ...flowVariables(m.flow), trigger: event.variables },
        },
        (message) => log.warn({ trigger: m.uid }, message),
      );
    // A state changed meanwhile (turned off, its flow changed) drops this poll's result, memory
    // included: the next poll finds the same things again, nothing is lost.
    let started: Awaited<ReturnType<typeof commitStart>>;
    try {
      started = await commitStart(
        this.deps,
        m.flow,
        m.trigger,
        state,
        next,
        holds ? { variables: event.variables } : undefined,
        { lock: m.trigger.allowConcurrent !== true },
      );
    } catch (error) {
      await this.settle(m, result, false);
      throw error;
    }
    await this.settle(m, result, started !== undefined);
    if (started) log.info({ trigger: m.uid, execution: started.id }, 'polling trigger started an execution');
  }

  /** Tells the trigger type how its poll ended (see PollResult.afterCommit); its failure is logged. */
  private async settle(m: ManagedTrigger, result: PollResult | undefined, stored: boolean): Promise<void> {
    if (!result?.afterCommit) return;
    try {
      await result.afterCommit(stored);
    } catch (error) {
      this.deps.log.warn(
        { trigger: m.uid, err: (error as Error).message },
        stored ? 'could not acknowledge what the poll took' : 'could not release what the poll took',
      );
    }
  }

  /** Aborts the polls in flight and waits for them. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.running.values());
  }
}
