/**
 * Schedule and ScheduleOnDates triggers: what is due and what the trigger's state becomes. Pure: the
 * clock, the stored state and a condition test come in, decisions come out (scheduler.ts does the I/O).
 *
 * As Kestra's Schedule:
 * - a trigger seen for the first time (or whose definition changed) starts from the first tick after
 *   now; its `nextDate` is the next tick to fire;
 * - at a start of the scheduler, a `nextDate` in the past means ticks were missed while it was down:
 *   `recoverMissedSchedules` ALL fires them all (one after the other), LAST only the last one, NONE
 *   none (default ALL);
 * - a tick later than `lateMaximumDelay` is skipped (never in a backfill);
 * - a tick whose `conditions` (schedule conditions: days, dates, times) do not hold is skipped; the
 *   `next`/`previous` variables then name the neighbouring ticks where they hold;
 * - one execution at a time (unless `allowConcurrent`): the next tick waits for the execution of the
 *   previous one to end (the trigger is locked meanwhile);
 * - a backfill fires the past ticks from its start to its end (both included), one at a time.
 * Baton difference: the regular ticks go on during a backfill (Kestra suspends them), before it.
 */
import type { Label } from '../execution/types.ts';
import type { TriggerBackfill } from '../store/types.ts';
import { type CronClock, formatZoned } from './cron.ts';

export const SCHEDULE_TYPE = 'io.kestra.plugin.core.trigger.Schedule';
export const SCHEDULE_ON_DATES_TYPE = 'io.kestra.plugin.core.trigger.ScheduleOnDates';

export type RecoverMissedSchedules = 'ALL' | 'LAST' | 'NONE';

/** What the decisions need of a schedule trigger (see spec.ts for reading one from a flow). */
export interface ScheduleSpec {
  clock: CronClock;
  timezone: string;
  recover: RecoverMissedSchedules;
  lateMaximumDelayMs?: number;
  /** Whether the trigger has conditions (else no search for the neighbouring ticks that hold). */
  conditional: boolean;
}

/** `trigger.date`, `trigger.next`, `trigger.previous` of an execution a tick starts. */
export interface ScheduleVariables {
  date: string;
  next?: string;
  previous?: string;
}

/** Whether the trigger's conditions hold on a tick; a condition that cannot be evaluated is false. */
export type ConditionTest = (date: number, variables: ScheduleVariables) => boolean;

export interface Fire {
  date: number;
  variables: ScheduleVariables;
  /** Fired by a backfill: with its inputs and labels. */
  backfill?: { inputs?: Record<string, unknown>; labels?: Label[] };
}

export interface Skipped {
  date: number;
  reason: 'late' | 'conditions';
}

/**
 * How many ticks one decision looks at before giving up for now: bounds the work when conditions
 * hold rarely on a frequent schedule (every second, only on Sundays); the search goes on at the next
 * wake-up from where it stopped.
 */
export const MAX_TICKS_PER_DECISION = 1_000;
/** How far the `next`/`previous` variables search for a tick where the conditions hold. */
const NEIGHBOUR_SEARCH = 100;

/** The first tick after `now`: where a new (or changed, or re-enabled) trigger starts. */
export const initialNextDate = (spec: ScheduleSpec, now: number): number | undefined => spec.clock.next(now);

/** The next date after a start of the scheduler, when `nextDate` passed while it was down. */
export const recoverMissed = (spec: ScheduleSpec, nextDate: number, now: number): number | undefined => {
  if (nextDate > now) return nextDate;
  switch (spec.recover) {
    case 'NONE':
      return spec.clock.next(now);
    case 'LAST': {
      const last = spec.clock.previous(now + 1);
      return last !== undefined && last > nextDate ? last : nextDate;
    }
    default:
      return nextDate;
  }
};

const neighbour = (
  spec: ScheduleSpec,
  from: number,
  forward: boolean,
  holds: ConditionTest | undefined,
): number | undefined => {
  let d: number | undefined = from;
  for (let i = 0; i < NEIGHBOUR_SEARCH; i++) {
    d = forward ? spec.clock.next(d) : spec.clock.previous(d);
    if (d === undefined || !holds || holds(d, plainVariables(spec, d))) return d;
  }
  return forward ? spec.clock.next(from) : spec.clock.previous(from);
};

const plainVariables = (spec: ScheduleSpec, date: number): ScheduleVariables => {
  const next = spec.clock.next(date);
  const previous = spec.clock.previous(date);
  return {
    date: formatZoned(date, spec.timezone),
    ...(next === undefined ? {} : { next: formatZoned(next, spec.timezone) }),
    ...(previous === undefined ? {} : { previous: formatZoned(previous, spec.timezone) }),
  };
};

/** The variables of tick `date`; with conditions, `next`/`previous` are the ticks where they hold. */
export const tickVariables = (spec: ScheduleSpec, date: number, holds?: ConditionTest): ScheduleVariables => {
  if (!spec.conditional || !holds) return plainVariables(spec, date);
  const next = neighbour(spec, date, true, holds);
  const previous = neighbour(spec, date, false, holds);
  return {
    date: formatZoned(date, spec.timezone),
    ...(next === undefined ? {} : { next: formatZoned(next, spec.timezone) }),
    ...(previous === undefined ? {} : { previous: formatZoned(previous, spec.timezone) }),
  };
};

export interface TickDecision {
  fire?: Fire;
  /** The next tick to fire after this decision (undefined: the schedule has no more ticks). */
  nextDate: number | undefined;
  skipped: Skipped[];
}

/** The regular schedule at `now`, its next tick being `nextDate`: fire it, skip it, or wait for it. */
export const decideTick = (
  spec: ScheduleSpec,
  nextDate: number,
  now: number,
  holds: ConditionTest,
): TickDecision => {
  const skipped: Skipped[] = [];
  let d: number | undefined = nextDate;
  for (let i = 0; i < MAX_TICKS_PER_DECISION && d !== undefined && d <= now; i++) {
    if (spec.lateMaximumDelayMs !== undefined && d + spec.lateMaximumDelayMs < now) {
      skipped.push({ date: d, reason: 'late' });
      d = spec.clock.next(d);
      continue;
    }
    const variables = tickVariables(spec, d);
    if (spec.conditional && !holds(d, variables)) {
      skipped.push({ date: d, reason: 'conditions' });
      d = spec.clock.next(d);
      continue;
    }
    return {
      fire: { date: d, variables: tickVariables(spec, d, holds) },
      nextDate: spec.clock.next(d),
      skipped,
    };
  }
  return { nextDate: d, skipped };
};

export interface BackfillDecision {
  fire?: Fire;
  /** The backfill after this decision; undefined once it is done. */
  backfill: TriggerBackfill | undefined;
  skipped: Skipped[];
}

/** The next past tick of a backfill: fire it, or say the backfill is done. Paused: nothing changes. */
export const decideBackfill = (
  spec: ScheduleSpec,
  backfill: TriggerBackfill,
  now: number,
  holds: ConditionTest,
): BackfillDecision => {
  if (backfill.paused) return { backfill, skipped: [] };
  const end = Math.min(Date.parse(backfill.end), now);
  const skipped: Skipped[] = [];
  // The first tick at or after the current date.
  let d = spec.clock.next(Date.parse(backfill.currentDate) - 1);
  for (let i = 0; i < MAX_TICKS_PER_DECISION; i++) {
    if (d === undefined || d > end) return { backfill: undefined, skipped };
    const variables = tickVariables(spec, d);
    if (spec.conditional && !holds(d, variables)) {
      skipped.push({ date: d, reason: 'conditions' });
      d = spec.clock.next(d);
      continue;
    }
    const following = spec.clock.next(d);
    return {
      fire: {
        date: d,
        variables: tickVariables(spec, d, holds),
        backfill: { inputs: backfill.inputs, labels: backfill.labels },
      },
      backfill: {
        ...backfill,
        currentDate: new Date(following === undefined ? end + 1 : following).toISOString(),
      },
      skipped,
    };
  }
  return {
    backfill: d === undefined ? undefined : { ...backfill, currentDate: new Date(d).toISOString() },
    skipped,
  };
};

/** A clock over a list of dates (ScheduleOnDates). */
export const datesClock = (dates: readonly number[]): CronClock => {
  const sorted = [...new Set(dates)].sort((a, b) => a - b);
  return {
    next: (after) => sorted.find((d) => d > after),
    previous: (before) => sorted.findLast((d) => d < before),
  };
};
