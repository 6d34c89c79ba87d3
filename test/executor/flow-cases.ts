/**
 * Table-driven tests: a flow of the project's own, its inputs, and the outcome it must reach (final state,
 * number of task runs, and any further check), run through the reducer with the simulated worker of
 * `harness.ts` (the tables are in flows/; test/engine/flowables.test.ts runs them on the real engine too).
 */
import { expect, it } from 'vitest';
import { runFlow, type Sim, type SimOptions, T0 } from './harness.ts';

export interface FlowCase {
  name: string;
  /** The flow's YAML without `id` / `namespace` (added from `name`), so each case reads as its tasks. */
  yaml: string;
  inputs?: Record<string, unknown>;
  state: string;
  /** Task runs in the final execution (flowables count; retries add attempts, not task runs). */
  tr: number;
  check?: (sim: Sim) => void;
  options?: Omit<SimOptions, 'inputs'>;
  /** An engine bug this case exposes on the real engine only: that run is expected to fail until fixed. */
  engineBug?: string;
}

export const flowSource = (c: Pick<FlowCase, 'name' | 'yaml'>): string =>
  `id: ${c.name.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/-+$/, '')}\nnamespace: baton.tests\n${c.yaml}`;

export const runCase = (c: FlowCase): Sim => runFlow(flowSource(c), { ...c.options, inputs: c.inputs ?? {} });

/** One `it` per case: state and task-run count first, then the case's own check. */
export const itReaches = (cases: FlowCase[]): void => {
  for (const c of cases)
    it(`${c.name} → ${c.state}, ${c.tr} task runs`, () => {
      const sim = runCase(c);
      expect(sim.execution.taskRuns.map((t) => `${t.taskId}:${t.state.current}`)).toHaveLength(c.tr);
      expect(sim.state).toBe(c.state);
      c.check?.(sim);
    });
};

/** The states of every task run of a task, in creation order. */
export const statesOf = (sim: Sim, taskId: string): string[] =>
  sim.runsOf(taskId).map((t) => t.state.current);

/** Milliseconds from the start of the execution to each task run's start, in creation order. */
export const startsOf = (sim: Sim, taskId: string): number[] =>
  sim.runsOf(taskId).map((t) => Date.parse(t.state.startDate) - T0);

export const valuesOf = (sim: Sim, taskId: string): unknown[] =>
  sim.runsOf(taskId).map((t) => t.outputs?.value);

/** Milliseconds from the start of the execution to each attempt of a task's only task run. */
export const attemptStarts = (sim: Sim, taskId: string): number[] =>
  sim.run1(taskId).attempts.map((a) => Date.parse(a.state.startDate) - T0);
