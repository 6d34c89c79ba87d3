/**
 * What the dashboards read from the store (`Store.executionStats`): counts per UTC day and state, and per
 * flow the run counts and the 50th/95th percentiles of finished runs' durations (nearest rank). Computed
 * by the database over the execution rows, so that a year of runs is not read into the server.
 */
import type { State } from '../execution/types.ts';

export interface DailyStateCount {
  /** The UTC day the executions were created, `YYYY-MM-DD`. */
  day: string;
  state: State;
  count: number;
}

export interface FlowRunStats {
  namespace: string;
  flowId: string;
  total: number;
  successes: number;
  /** Executions that ended FAILED (a KILLED one was stopped by someone, not a failure of the flow). */
  failures: number;
  /** Durations (start to end, ms) of the finished executions; absent when none finished. */
  p50Ms?: number;
  p95Ms?: number;
}

export interface ExecutionStats {
  daily: DailyStateCount[];
  flows: FlowRunStats[];
}
