/**
 * Reading a Schedule or ScheduleOnDates trigger of a flow into what the decisions need (schedule.ts),
 * and testing its conditions on a tick. Pure (expressions are rendered with the flow's variables).
 * A property that cannot be used throws ScheduleError naming it.
 */
import type { State } from '../execution/types.ts';
import { type RenderContext, renderValue } from '../expression/index.ts';
import type { Condition, Flow, Trigger } from '../flow/types.ts';
import { allHold, conditionType, SCHEDULE_CONDITIONS } from '../triggers/conditions.ts';
import { durationMs } from '../util/duration.ts';
import { checkTimezone, parseCron, ScheduleError, zoneOffsetMinutes } from './cron.ts';
import {
  type ConditionTest,
  datesClock,
  type RecoverMissedSchedules,
  SCHEDULE_ON_DATES_TYPE,
  SCHEDULE_TYPE,
  type ScheduleSpec,
  type ScheduleVariables,
} from './schedule.ts';

export const isScheduleType = (type: string): boolean =>
  type === SCHEDULE_TYPE || type === SCHEDULE_ON_DATES_TYPE;

const RECOVER = new Set(['ALL', 'LAST', 'NONE']);

/** Variables of a flow visible to a trigger's expressions before any execution exists. */
export const flowVariables = (flow: Flow): RenderContext => ({
  flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision },
  ...(flow.variables && typeof flow.variables === 'object' ? { vars: flow.variables } : {}),
});

/** A local date-time without offset, read in `timezone` (the offset in force at that local time). */
const parseInZone = (text: string, timezone: string): number => {
  const local = Date.parse(`${text}Z`);
  if (Number.isNaN(local)) return Number.NaN;
  // Twice: the offset at the guess may differ from the offset at the result near a DST change.
  const first = local - zoneOffsetMinutes(local, timezone) * 60_000;
  return local - zoneOffsetMinutes(first, timezone) * 60_000;
};

const WITH_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** The dates of a ScheduleOnDates, as epoch ms; a date without an offset is in `timezone`. */
export const parseDates = (value: unknown, timezone: string): number[] => {
  const list = typeof value === 'string' ? JSON.parse(value.trim().startsWith('[') ? value : '[]') : value;
  if (!Array.isArray(list))
    throw new ScheduleError('dates: must be a list of ISO-8601 date-times (or an expression giving one)');
  return list.map((raw, i) => {
    const text = String(raw)
      .trim()
      .replace(/\[[^\]]+\]$/, '');
    const ms = WITH_OFFSET.test(text) ? Date.parse(text) : parseInZone(text, timezone);
    if (Number.isNaN(ms))
      throw new ScheduleError(
        `dates[${i}]: '${String(raw)}' is not an ISO-8601 date-time such as 2030-01-15T09:00:00Z`,
      );
    return ms;
  });
};

/** The schedule conditions of a trigger (Kestra ignores the others on a Schedule). */
export const scheduleConditions = (trigger: Trigger): Condition[] =>
  [...(trigger.conditions ?? []), ...((trigger.scheduleConditions as Condition[] | undefined) ?? [])].filter(
    (c) => SCHEDULE_CONDITIONS.has(conditionType(c)),
  );

/** Reads a Schedule or ScheduleOnDates trigger of `flow`; throws ScheduleError on a bad property. */
export const readSchedule = (flow: Flow, trigger: Trigger): ScheduleSpec => {
  const timezone = typeof trigger.timezone === 'string' && trigger.timezone !== '' ? trigger.timezone : 'UTC';
  checkTimezone(timezone);
  const recover = String(trigger.recoverMissedSchedules ?? 'ALL').toUpperCase();
  if (!RECOVER.has(recover))
    throw new ScheduleError(`recoverMissedSchedules: '${recover}' is not ALL, LAST or NONE`);
  let lateMaximumDelayMs: number | undefined;
  if (trigger.lateMaximumDelay !== undefined && trigger.lateMaximumDelay !== null) {
    lateMaximumDelayMs = durationMs(String(trigger.lateMaximumDelay));
    if (lateMaximumDelayMs === undefined)
      throw new ScheduleError(
        `lateMaximumDelay: '${String(trigger.lateMaximumDelay)}' is not an ISO-8601 duration such as PT5M`,
      );
  }
  const clock =
    trigger.type === SCHEDULE_ON_DATES_TYPE
      ? datesClock(parseDates(renderValue(trigger.dates, flowVariables(flow)), timezone))
      : parseCron({ cron: String(trigger.cron ?? ''), withSeconds: trigger.withSeconds === true, timezone });
  return {
    clock,
    timezone,
    recover: recover as RecoverMissedSchedules,
    lateMaximumDelayMs,
    conditional: scheduleConditions(trigger).length > 0,
  };
};

/** The `stopAfter` states of a trigger. */
export const stopAfterOf = (trigger: Trigger): State[] =>
  Array.isArray(trigger.stopAfter) ? (trigger.stopAfter.map(String) as State[]) : [];

/**
 * The test of a trigger's schedule conditions on a tick: date conditions default to the tick's date in
 * the trigger's zone; expressions see `trigger` and `schedule` (the tick's variables) and the flow.
 */
export const conditionTest =
  (flow: Flow, trigger: Trigger, warn: (message: string) => void): ConditionTest =>
  (date: number, variables: ScheduleVariables) =>
    allHold(
      scheduleConditions(trigger),
      {
        flow,
        now: date,
        defaultDate: variables.date,
        variables: { ...flowVariables(flow), trigger: variables, schedule: variables },
      },
      warn,
    );
