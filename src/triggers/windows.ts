/**
 * The state of multiple conditions: for each (flow, trigger, multiple condition), the current time
 * window and which of its named sub-conditions were met in it. JSON-serialisable, updated by pure
 * functions that return a new state (the input is never mutated).
 *
 * Windows, as Kestra 0.21 computes them (in UTC, Baton's server time zone):
 * - DURATION_WINDOW (default; `window` P1D by default): `now` truncated to the day / hour / multiple of
 *   minutes of the window, shifted by `windowAdvance`; lasts `window`. Baton difference: a window whose
 *   advanced start is still ahead of `now` is moved back by whole windows, so `windowAdvance: PT6H` with
 *   `window: P1D` means "06:00 to 06:00" at any time of day (Kestra ignores executions before 06:00).
 * - SLIDING_WINDOW: from the first execution that meets a sub-condition, for `window` (P1D by default).
 * - DAILY_TIME_WINDOW: today from `startTime` to `endTime`.
 * - DAILY_TIME_DEADLINE: today from midnight to `deadline`.
 * A window counts while start <= now < end; an expired window is forgotten.
 */
import { ConditionError } from './conditions.ts';
import { DAY_MS, durationMs, parseTimeOfDay, startOfDay } from './dates.ts';
import type { MultipleSpec, TimeWindowSpec } from './multiple.ts';

export interface ConditionWindow {
  /** ISO instants: the window counts while start <= now < end. */
  start: string;
  end: string;
  /** Sub-conditions met in this window, by name. */
  results: Record<string, true>;
}

/** Windows by `namespace.flowId.triggerId.conditionId` (see `windowKey`). */
export type MultipleConditionState = Record<string, ConditionWindow>;

export const emptyState = (): MultipleConditionState => ({});

/** Key of one multiple condition of one trigger of one flow. */
export const windowKey = (
  namespace: string,
  flowId: string,
  triggerId: string,
  conditionId: string,
): string => `${namespace}.${flowId}.${triggerId}.${conditionId}`;

/** Key prefix of every window of one flow trigger. */
export const triggerPrefix = (namespace: string, flowId: string, triggerId: string): string =>
  `${namespace}.${flowId}.${triggerId}.`;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

const duration = (v: string | undefined, fallback: string, what: string): number => {
  try {
    return durationMs(v ?? fallback, what);
  } catch (err) {
    throw new ConditionError((err as Error).message);
  }
};

const timeOfDay = (v: string | undefined, what: string): number => {
  if (v === undefined) throw new ConditionError(`timeWindow.${what} is required for this window type`);
  try {
    return parseTimeOfDay(v);
  } catch (err) {
    throw new ConditionError(`timeWindow.${what}: ${(err as Error).message}`);
  }
};

/** The window that contains `now` for a time window spec, as epoch ms [start, end). */
export const computeWindow = (tw: TimeWindowSpec, now: number): { start: number; end: number } => {
  switch (tw.type) {
    case 'DURATION_WINDOW': {
      const w = duration(tw.window, 'P1D', 'timeWindow.window');
      if (w <= 0) throw new ConditionError('timeWindow.window must be a positive duration');
      const d = new Date(Math.floor(now / 1000) * 1000);
      if (w >= DAY_MS) d.setUTCHours(0);
      if (w >= HOUR_MS) d.setUTCMinutes(0);
      if (w >= MINUTE_MS) {
        const minutes = Math.floor(w / MINUTE_MS);
        d.setUTCSeconds(0);
        d.setUTCMinutes(minutes * Math.floor(d.getUTCMinutes() / minutes));
      }
      let start =
        d.getTime() + (tw.windowAdvance ? duration(tw.windowAdvance, 'PT0S', 'timeWindow.windowAdvance') : 0);
      while (start > now) start -= w;
      while (start + w <= now) start += w;
      return { start, end: start + w - 1 };
    }
    case 'SLIDING_WINDOW':
      return { start: now, end: now + duration(tw.window, 'P1D', 'timeWindow.window') };
    case 'DAILY_TIME_WINDOW': {
      const day = startOfDay(now);
      return {
        start: day + timeOfDay(tw.startTime, 'startTime'),
        end: day + timeOfDay(tw.endTime, 'endTime'),
      };
    }
    case 'DAILY_TIME_DEADLINE': {
      const day = startOfDay(now);
      return { start: day, end: day + timeOfDay(tw.deadline, 'deadline') };
    }
    default:
      throw new ConditionError(
        `timeWindow.type '${String(tw.type)}' is not DURATION_WINDOW, SLIDING_WINDOW, DAILY_TIME_WINDOW or DAILY_TIME_DEADLINE`,
      );
  }
};

export const isWindowValid = (w: ConditionWindow, now: number): boolean =>
  Date.parse(w.start) <= now && now < Date.parse(w.end);

/** The stored window if it still counts, else a fresh empty one (Kestra's `getOrCreate`). */
export const currentWindow = (
  state: MultipleConditionState,
  key: string,
  spec: MultipleSpec,
  now: number,
): ConditionWindow => {
  const stored = state[key];
  if (stored && isWindowValid(stored, now)) return stored;
  const { start, end } = computeWindow(spec.timeWindow, now);
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), results: {} };
};

/** The window with `met` sub-conditions added (a sub-condition once met stays met in its window). */
export const withResults = (w: ConditionWindow, met: string[]): ConditionWindow => {
  const results = { ...w.results };
  for (const name of met) results[name] = true;
  return { ...w, results };
};

/** Whether every sub-condition of `spec` was met in the stored window that counts now. */
export const isFulfilled = (
  state: MultipleConditionState,
  key: string,
  spec: MultipleSpec,
  now: number,
): boolean => {
  const w = state[key];
  const names = Object.keys(spec.conditions);
  if (names.length === 0) return true;
  return !!w && isWindowValid(w, now) && names.every((n) => w.results[n] === true);
};

/** The state without the windows that ended before `now`. */
export const purgeExpired = (state: MultipleConditionState, now: number): MultipleConditionState => {
  const out: MultipleConditionState = {};
  for (const [k, w] of Object.entries(state)) if (Date.parse(w.end) > now) out[k] = w;
  return out;
};

/** The state with `key` set to `w` (or removed when `w` is undefined). */
export const setWindow = (
  state: MultipleConditionState,
  key: string,
  w: ConditionWindow | undefined,
): MultipleConditionState => {
  const out = { ...state };
  if (w) out[key] = w;
  else delete out[key];
  return out;
};
