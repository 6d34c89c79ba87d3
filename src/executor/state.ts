/** State-history helpers, ISO-8601 durations and Kestra's truthiness for rendered conditions. */
import type { State, StateHistory } from '../execution/types.ts';
import { isTerminal } from '../execution/types.ts';

export const iso = (now: number): string => new Date(now).toISOString();

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

const DURATION =
  /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/** Milliseconds of an ISO-8601 duration (Java's `Duration.parse` syntax); undefined when malformed. */
export const durationMs = (text: unknown): number | undefined => {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  const m = DURATION.exec(t);
  if (!m || t.toUpperCase() === 'P' || /T$/i.test(t)) return undefined;
  const [, sign, d, h, min, s, frac] = m;
  const fraction = frac ? Number(`0.${frac}`) * (s?.startsWith('-') ? -1 : 1) : 0;
  const ms =
    Number(d ?? 0) * 86_400_000 +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * 60_000 +
    (Number(s ?? 0) + fraction) * 1000;
  return Math.round(sign === '-' ? -ms : ms);
};

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
