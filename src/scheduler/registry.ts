/**
 * Trigger types the scheduler runs besides schedules, by kind:
 * - polling: called every `interval` (the trigger's property, else the type's default); a poll that
 *   finds something starts one execution (as Kestra's polling triggers: all it found in its
 *   variables), and the memory it keeps between polls (`data`, e.g. the files it has seen) is stored
 *   in the trigger's state in the same transaction as that execution;
 * - realtime: one long-lived consumer per trigger (`subscribe`), which calls `emit` per event and
 *   resolves once the execution is stored (acknowledge the source after that); restarted with backoff
 *   when it fails or returns, stopped (its signal aborted) when the flow changes, is deleted or the
 *   trigger is turned off.
 * Broker, SQL and file triggers register here (`registerTriggerType`).
 */
import type { Flow, Trigger } from '../flow/types.ts';
import type { LocalStorage } from '../storage/local.ts';

/** One thing that happened: it starts one execution with `variables` as its `trigger` variables. */
export interface TriggerEvent {
  variables: Record<string, unknown>;
}

/** The scheduler's log, as pino's. */
export interface SchedulerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface TriggerTypeContext {
  flow: Flow;
  /** The trigger as written in the flow (its properties not rendered: render what is dynamic). */
  trigger: Trigger;
  /** What the trigger kept last time (its state's `data`); undefined the first time. */
  data: unknown;
  log: SchedulerLog;
  /** Internal storage, for triggers that hand their executions a file (`trigger.uri`). */
  storage?: LocalStorage;
}

export interface PollResult {
  /** Starts an execution (absent: nothing new). */
  event?: TriggerEvent;
  /** The memory to keep for the next poll (absent: kept as it was). */
  data?: unknown;
  /**
   * Called once this poll's outcome is settled: `stored` true when the execution (or, conditions not
   * holding, the state alone) was written, false when nothing was (the state changed meanwhile, the
   * scheduler stopped). Acknowledge (or release) what the poll took from its source here, so that a
   * crash before the commit leaves it at the source.
   */
  afterCommit?: (stored: boolean) => Promise<void>;
}

export interface PollingTriggerType {
  kind: 'polling';
  type: string;
  /** Milliseconds between polls when the trigger has no `interval` (Kestra's default is one minute). */
  defaultIntervalMs?: number;
  /** Looks once; `signal` is aborted when the scheduler stops. Throwing skips this poll (logged). */
  poll(ctx: TriggerTypeContext, signal: AbortSignal): Promise<PollResult | undefined>;
}

export interface RealtimeTriggerType {
  kind: 'realtime';
  type: string;
  /**
   * Consumes events until `signal` is aborted; calls `emit` for each (with the memory to keep, if
   * any) and waits for it before acknowledging the event at its source. Rejecting or returning
   * restarts it, after a backoff.
   */
  subscribe(
    ctx: TriggerTypeContext,
    emit: (event: TriggerEvent, data?: unknown) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void>;
}

export type TriggerType = PollingTriggerType | RealtimeTriggerType;

export class TriggerRegistry {
  private readonly types = new Map<string, TriggerType>();

  register(type: TriggerType): this {
    this.types.set(type.type, type);
    return this;
  }

  get(type: string): TriggerType | undefined {
    return this.types.get(type);
  }
}

/** The registry the server's scheduler uses; plugins of the next issues add their types to it. */
export const triggerTypes = new TriggerRegistry();

export const registerTriggerType = (type: TriggerType): void => {
  triggerTypes.register(type);
};
