/** State-history helpers, ISO-8601 durations and Kestra's truthiness for rendered conditions. */
import type { State, StateHistory, StateHistoryEntry } from '../execution/types.ts';
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

/**
 * The history entry of `state` at `now`, shared likewise by every history a step adds it to (entries are
 * never changed, and frozen so that none is): one object instead of one per state history, five per
 * ended task run.
 */
const entry = (state: State, now: number): StateHistoryEntry => {
  if (now !== entries.now) {
    entries.now = now;
    entries.byState.clear();
  }
  let e = entries.byState.get(state);
  if (!e) {
    e = Object.freeze({ state, date: iso(now) });
    entries.byState.set(state, e);
  }
  return e;
};
const entries = { now: Number.NaN, byState: new Map<State, StateHistoryEntry>() };

/**
 * `list` with `item` added, in an array of exactly that length. `[...list, item]` reserves some 17 more
 * slots, which a task run then keeps in its attempts and state histories for its whole life: a third of
 * an ended task run's memory. (`item` is an object: `concat` would spread an array.)
 */
export const append = <T extends object>(list: readonly T[], item: T): T[] => list.concat(item);

/** `list` with its last item replaced, in an array of exactly that length (see `append`). */
export const withLast = <T>(list: readonly T[], item: T): T[] => {
  const out = list.slice();
  out[out.length - 1] = item;
  return out;
};

export const newStateHistory = (state: State, now: number): StateHistory => {
  const e = entry(state, now);
  return isTerminal(state)
    ? { current: state, startDate: e.date, endDate: e.date, histories: [e] }
    : { current: state, startDate: e.date, histories: [e] };
};

/** A new history with `state` appended (no-op when already in it). */
export const withState = (h: StateHistory, state: State, now: number): StateHistory => {
  if (h.current === state) return h;
  const e = entry(state, now);
  const histories = append(h.histories, e);
  // Each field written in the literal: one added afterwards takes a separate block of memory.
  return isTerminal(state)
    ? { current: state, startDate: h.startDate, endDate: e.date, histories }
    : { current: state, startDate: h.startDate, histories };
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
