/**
 * Triggers as Kestra's API shows them: a flow's trigger (`abstractTrigger`, as written) with its state
 * (`triggerContext`: Kestra's Trigger, with `date` the last tick, `nextExecutionDate`, `backfill`,
 * `executionId` while locked...). And a backfill request checked and turned into a backfill state.
 */
import type { Label } from '../../execution/types.ts';
import type { Flow, Trigger } from '../../flow/types.ts';
import { SCHEDULE_ON_DATES_TYPE, SCHEDULE_TYPE } from '../../scheduler/schedule.ts';
import type { TriggerBackfill, TriggerState } from '../../store/types.ts';
import { HttpError } from '../errors.ts';

export interface TriggerContextJson {
  namespace: string;
  flowId: string;
  triggerId: string;
  date: string | null;
  nextExecutionDate: string | null;
  backfill: Record<string, unknown> | null;
  stopAfter: string[] | null;
  disabled: boolean;
  executionId: string | null;
  locked: boolean;
  updatedDate: string | null;
  evaluateRunningDate: null;
  workerId: null;
}

const backfillJson = (b: TriggerBackfill | undefined): Record<string, unknown> | null =>
  b
    ? {
        start: b.start,
        end: b.end,
        currentDate: b.currentDate,
        paused: b.paused,
        inputs: b.inputs ?? null,
        labels: b.labels ?? null,
        previousNextExecutionDate: b.previousNextDate ?? null,
      }
    : null;

export const triggerContextJson = (
  key: { namespace: string; flowId: string; triggerId: string },
  state: TriggerState | undefined,
  trigger: Trigger | undefined,
): TriggerContextJson => {
  const locked = state?.executionId !== undefined && state.lockedAt !== undefined;
  return {
    namespace: key.namespace,
    flowId: key.flowId,
    triggerId: key.triggerId,
    date: state?.lastDate ?? null,
    nextExecutionDate: state?.nextDate ?? null,
    backfill: backfillJson(state?.backfill),
    stopAfter: Array.isArray(trigger?.stopAfter) ? trigger.stopAfter.map(String) : null,
    // Off in the flow's source, or turned off (Toggle, API, stopAfter).
    disabled: trigger?.disabled === true || state?.disabled === true,
    executionId: locked ? (state?.executionId ?? null) : null,
    locked,
    updatedDate: state?.updatedAt ?? null,
    evaluateRunningDate: null,
    workerId: null,
  };
};

/** The trigger as written in its flow (canonical type). */
export const abstractTriggerJson = (trigger: Trigger): Record<string, unknown> => {
  const { sourceType: _s, ...rest } = trigger;
  return rest;
};

export const isBackfillable = (trigger: Trigger): boolean =>
  trigger.type === SCHEDULE_TYPE || trigger.type === SCHEDULE_ON_DATES_TYPE;

const instant = (value: unknown, field: string): number => {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new HttpError(
      400,
      `${field}: '${String(value)}' is not an ISO-8601 date-time such as 2024-01-01T00:00:00Z`,
    );
  return ms;
};

const labelsOf = (value: unknown): Label[] | undefined => {
  if (value === undefined || value === null) return undefined;
  const pairs: Label[] = Array.isArray(value)
    ? value.map((l, i) => {
        const { key, value: v } = (l ?? {}) as { key?: unknown; value?: unknown };
        if (typeof key !== 'string' || key === '')
          throw new HttpError(400, `backfill.labels[${i}].key: a label needs a non-empty key`);
        return { key, value: String(v ?? '') };
      })
    : typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: String(v) }))
      : [];
  for (const l of pairs)
    if (l.key.startsWith('system.'))
      throw new HttpError(400, `backfill.labels: '${l.key}' is a system label, which cannot be set`);
  return pairs;
};

/**
 * The backfill state for a request `{ start, end?, inputs?, labels?, paused? }` at `now`: past ticks only (an
 * end in the future stops at now, the schedule itself fires what comes after). Inputs and labels are
 * kept as given (never rendered).
 */
export const backfillOf = (
  body: Record<string, unknown>,
  state: TriggerState | undefined,
  now: number,
): TriggerBackfill => {
  const start = instant(body.start, 'backfill.start');
  const end =
    body.end === undefined || body.end === null ? now : Math.min(instant(body.end, 'backfill.end'), now);
  if (start > end) throw new HttpError(400, 'backfill.start: must be before backfill.end and in the past');
  const inputs = body.inputs;
  if (inputs !== undefined && inputs !== null && (typeof inputs !== 'object' || Array.isArray(inputs)))
    throw new HttpError(400, 'backfill.inputs: must be a map of input ids to values');
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    currentDate: new Date(start).toISOString(),
    paused: body.paused === true,
    ...(inputs ? { inputs: inputs as Record<string, unknown> } : {}),
    ...(labelsOf(body.labels) ? { labels: labelsOf(body.labels) } : {}),
    ...(state?.nextDate ? { previousNextDate: state.nextDate } : {}),
  };
};

/** A flow's trigger by id, or a 404 naming what is missing. */
export const triggerOf = (
  flow: Flow | undefined,
  namespace: string,
  flowId: string,
  triggerId: string,
): Trigger => {
  if (!flow) throw new HttpError(404, `Flow ${namespace}.${flowId} not found`);
  const trigger = flow.triggers?.find((t) => t.id === triggerId);
  if (!trigger) throw new HttpError(404, `Flow ${namespace}.${flowId} has no trigger ${triggerId}`);
  return trigger;
};
