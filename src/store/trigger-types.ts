/**
 * Trigger states in the store (Kestra's trigger contexts): what the scheduler keeps of each trigger of
 * each flow, written with the executions it starts (`ExecutionWrite.triggers`).
 */
import type { Label } from '../execution/types.ts';

/** Identifies one trigger of one flow. */
export interface TriggerKey {
  namespace: string;
  flowId: string;
  triggerId: string;
}

/** A backfill in progress: past ticks of a Schedule from `start` to `end` fired one by one. */
export interface TriggerBackfill {
  /** ISO instants. */
  start: string;
  end: string;
  /** The next past tick to fire is the first one at or after this date. */
  currentDate: string;
  paused: boolean;
  /** Given by the caller: used as they are, never rendered. */
  inputs?: Record<string, unknown>;
  labels?: Label[];
  /** The trigger's `nextDate` before the backfill, put back when it is deleted. */
  previousNextDate?: string;
}

/** What the scheduler keeps of one trigger (Kestra's trigger context). */
export interface TriggerState extends TriggerKey {
  /** The trigger's type when the state was written. */
  type?: string;
  /** The flow revision the state was computed for. */
  flowRevision?: number;
  /** ISO instant the trigger is next due (a schedule's next tick, a polling trigger's next poll). */
  nextDate?: string;
  /** ISO instant of the last tick fired (a schedule's last `trigger.date`). */
  lastDate?: string;
  /** Turned off by the Toggle task, the API or `stopAfter` (apart from `disabled` in the flow source). */
  disabled: boolean;
  /** The execution it started that has not ended yet: the trigger waits for it (it is locked). */
  executionId?: string;
  /** ISO instant the lock was taken. */
  lockedAt?: string;
  backfill?: TriggerBackfill;
  /** State of the trigger's type (what a polling trigger has seen), JSON-serialisable. */
  data?: unknown;
  /** ISO instant of the last write. */
  updatedAt: string;
  /** Incremented by every write, for compare-and-set (`expectVersion`). */
  version: number;
}

export type TriggerStateWrite =
  | {
      state: Omit<TriggerState, 'updatedAt' | 'version'>;
      /** The version the writer read (0: the state must not exist yet); absent: written regardless. */
      expectVersion?: number;
    }
  | { delete: TriggerKey; expectVersion?: number };

export interface TriggerStateFilter {
  namespace?: string;
  flowId?: string;
}
