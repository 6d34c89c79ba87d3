/** State-history helpers, ISO-8601 durations and Kestra's truthiness for rendered conditions. */
import type { State, StateHistory } from '../execution/types.ts';
import { isTerminal } from '../execution/types.ts';

/**
 * The ISO text of an instant. The last one is kept: a step writes the same `now` into every state it
 * changes, and one string shared by all of them instead of one each is much of an ended task run's
 * memory (an execution of 100,000 task runs holds half a million dates).
 */
export const iso = (now: number): string => {
  if (now !== lastIso.now) {
    lastIso.now = now;
    lastIso.text = new Date(now).toISOString();
  }
  return lastIso.text;
};
const lastIso = { now: Number.NaN, text: '' };

export const newStateHistory = (state: State, now: number): StateHistory => {
  const date = iso(now);
  return {
    current: state,
    startDate: date,
    ...(isTerminal(state) ? { endDate: date } : {}),
    histories: [{ state, date }],
  };
};

/** A new history with `state` appended (no-op when already in it). */
export const withState = (h: StateHistory, state: State, now: number): StateHistory => {
  if (h.current === state) return h;
  const date = iso(now);
  const next: StateHistory = { ...h, current: state, histories: [...h.histories, { state, date }] };
  if (isTerminal(state)) next.endDate = date;
  else delete next.endDate;
  return next;
};

export { durationMs } from '../util/duration.ts';

const FALSY = new Set(['false', '0', '-0', '']);

/** Kestra's `TruthUtils.isTruthy` on a rendered condition (If, runIf, WaitFor, SLA assertions). */
export const truthyString = (rendered: unknown): boolean => {
  if (rendered === null || rendered === undefined || rendered === false) return false;
  return !FALSY.has(String(rendered).trim());
};

/** Worst of two end states, as Kestra ranks them for a parent (KILLED > FAILED > WARNING > SUCCESS). */
const RANK: Partial<Record<State, number>> = {
  SUCCESS: 0,
  SKIPPED: 0,
  WARNING: 1,
  FAILED: 3,
  KILLED: 2,
  CANCELLED: 2,
};
export const worst = (a: State, b: State): State => ((RANK[b] ?? 0) > (RANK[a] ?? 0) ? b : a);
