/**
 * The dashboards' data: the API calls (`POST /stats/executions/daily`, `GET /stats/flows`) and the pure
 * shaping of their answers into what the charts draw (tested in stats.test.ts).
 */
import { request } from '../api/client.ts';

export interface DailyCounts {
  /** `YYYY-MM-DD` (UTC). */
  startDate: string;
  executionCounts: Record<string, number>;
}

export interface FlowStats {
  namespace: string;
  flowId: string;
  total: number;
  successes: number;
  failures: number;
  failureRate: number;
  durationP50Ms?: number;
  durationP95Ms?: number;
  minutesSavedPerRun?: number;
  minutesSaved: number;
}

export interface StatsQuery {
  namespace?: string;
  startDate: string;
  endDate: string;
}

export const dailyStats = (q: StatsQuery) =>
  request<DailyCounts[]>('/stats/executions/daily', { method: 'POST', json: q });

export const flowStats = (q: StatsQuery) =>
  request<{ results: FlowStats[] }>('/stats/flows', { query: { ...q } });

/** The range of the last `days` days, up to now. */
export const lastDays = (days: number, now = Date.now()): { startDate: string; endDate: string } => ({
  startDate: new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00.000Z',
  endDate: new Date(now).toISOString(),
});

/** The stacking order of states in the bars, bottom to top: outcomes first, then what is still going. */
const STATE_ORDER = [
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'SKIPPED',
  'RETRIED',
  'PAUSED',
  'RUNNING',
  'CREATED',
  'QUEUED',
];

/** The states present in the data, in stacking order (unknown ones last, by name). */
export const statesOf = (days: readonly DailyCounts[]): string[] => {
  const present = new Set(
    days.flatMap((d) => Object.keys(d.executionCounts).filter((s) => d.executionCounts[s])),
  );
  const rank = (s: string) => (STATE_ORDER.includes(s) ? STATE_ORDER.indexOf(s) : STATE_ORDER.length);
  return [...present].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
};

export interface StackSegment {
  state: string;
  /** Where the segment starts and ends, in runs from the bottom. */
  from: number;
  to: number;
}

export interface StackedDay {
  day: string;
  total: number;
  segments: StackSegment[];
}

/** Each day's bar: its segments stacked in `states` order, zero segments left out. */
export const stackDays = (days: readonly DailyCounts[], states: readonly string[]): StackedDay[] =>
  days.map((d) => {
    let at = 0;
    const segments: StackSegment[] = [];
    for (const state of states) {
      const n = d.executionCounts[state] ?? 0;
      if (n > 0) segments.push({ state, from: at, to: at + n });
      at += n;
    }
    return { day: d.startDate, total: at, segments };
  });

/** Failed runs over finished runs per day (undefined on a day without a finished run). */
export const failureRates = (days: readonly DailyCounts[]): { day: string; rate: number | undefined }[] =>
  days.map((d) => {
    const c = d.executionCounts;
    const failed = (c.FAILED ?? 0) + (c.KILLED ?? 0);
    const finished = failed + (c.SUCCESS ?? 0) + (c.WARNING ?? 0);
    return { day: d.startDate, rate: finished === 0 ? undefined : failed / finished };
  });

/** Whole-range totals for the summary line. */
export const totals = (flows: readonly FlowStats[]) => {
  const runs = flows.reduce((n, f) => n + f.total, 0);
  const failures = flows.reduce((n, f) => n + f.failures, 0);
  return {
    runs,
    failures,
    failureRate: runs === 0 ? 0 : failures / runs,
    minutesSaved: flows.reduce((n, f) => n + f.minutesSaved, 0),
  };
};

/** A round upper bound for an axis: 1, 2, 5 × 10^k at or above `max`. */
export const niceMax = (max: number): number => {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * step >= max) return m * step;
  return 10 * step;
};

/** `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 10 min`. */
export const formatDuration = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
};

/** `45 min`, `3.5 h`, `2.1 days` (8-hour working days would be a guess: calendar hours). */
export const formatMinutes = (minutes: number): string => {
  if (minutes < 60) return `${Math.round(minutes * 10) / 10} min`;
  if (minutes < 60 * 48) return `${Math.round((minutes / 60) * 10) / 10} h`;
  return `${Math.round((minutes / 1440) * 10) / 10} days`;
};
