/**
 * One step of a Schedule or ScheduleOnDates trigger in a scheduler cycle (the I/O around schedule.ts):
 * fire its due tick, or the next tick of its backfill, or skip late ticks and ticks whose conditions
 * do not hold. Returns whether it wrote (the cycle then runs again at once) and when it is next due.
 */
import type { TriggerState } from '../store/types.ts';
import { commitStart, commitState, type FiringDeps, isLocked, withoutMeta } from './firing.ts';
import type { ManagedTrigger } from './flow-index.ts';
import { decideBackfill, decideTick, type Fire, initialNextDate, type ScheduleSpec } from './schedule.ts';
import { conditionTest } from './spec.ts';

/** The label Baton adds to the executions a backfill starts (its own labels come with it). */
export const BACKFILL_LABEL = 'system.backfill';

export interface StepResult {
  wrote: boolean;
  /** Epoch ms at which this trigger next needs the scheduler (undefined: not by itself). */
  wakeAt?: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

const fireOf = async (
  deps: FiringDeps,
  m: ManagedTrigger,
  state: TriggerState,
  next: ReturnType<typeof withoutMeta>,
  fire: Fire | undefined,
): Promise<boolean> => {
  if (!fire) return commitState(deps.store, state, next);
  const variables = { ...fire.variables };
  const labels = fire.backfill
    ? [...(fire.backfill.labels ?? []), { key: BACKFILL_LABEL, value: 'true' }]
    : undefined;
  const started = await commitStart(
    deps,
    m.flow,
    m.trigger,
    state,
    next,
    { variables, inputs: fire.backfill?.inputs, labels },
    { lock: m.trigger.allowConcurrent !== true, context: { schedule: variables } },
  );
  if (started && !fire.backfill) deps.onScheduled?.(started, fire.date);
  if (started)
    deps.log.info(
      { execution: started.id, trigger: m.uid, date: variables.date, backfill: fire.backfill !== undefined },
      'schedule started an execution',
    );
  return started !== undefined;
};

/** Fires what is due of an enabled, unlocked schedule whose state is up to date. */
export const stepSchedule = async (
  deps: FiringDeps,
  m: ManagedTrigger,
  spec: ScheduleSpec,
  state: TriggerState,
  now: number,
): Promise<StepResult> => {
  // Off in its flow (or the flow disabled): its next date is forgotten, so that it starts from then
  // once turned on again rather than catching up on what passed meanwhile.
  if (!m.enabled && state.nextDate !== undefined && !isLocked(state))
    return { wrote: await commitState(deps.store, state, { ...withoutMeta(state), nextDate: undefined }) };
  if (!m.enabled || state.disabled || isLocked(state)) return { wrote: false };
  const warn = (message: string) => deps.log.warn({ trigger: m.uid }, message);
  const holds = conditionTest(m.flow, m.trigger, warn);
  const base = withoutMeta(state);
  // Turned on again (or never started): from the first tick after now.
  if (state.nextDate === undefined) {
    const nextDate = iso(initialNextDate(spec, now));
    if (nextDate === undefined) return { wrote: false };
    return { wrote: await commitState(deps.store, state, { ...base, nextDate }) };
  }
  const nextDate = Date.parse(state.nextDate);
  if (nextDate <= now) {
    const d = decideTick(spec, nextDate, now, holds);
    for (const s of d.skipped)
      deps.log.info(
        { trigger: m.uid, date: new Date(s.date).toISOString(), reason: s.reason },
        'tick skipped',
      );
    const next = {
      ...base,
      nextDate: iso(d.nextDate),
      lastDate: d.fire ? new Date(d.fire.date).toISOString() : state.lastDate,
    };
    return { wrote: await fireOf(deps, m, state, next, d.fire), wakeAt: d.nextDate };
  }
  if (state.backfill && !state.backfill.paused) {
    const d = decideBackfill(spec, state.backfill, now, holds);
    const wrote = await fireOf(deps, m, state, { ...base, backfill: d.backfill }, d.fire);
    return { wrote, wakeAt: nextDate };
  }
  return { wrote: false, wakeAt: nextDate };
};
