/**
 * The project's own flows (test/executor/flows/) on a real embedded engine (SQLite store, executor, worker
 * running the real tasks): each reaches the state and task-run count the reducer suite asserts, with the
 * same task runs in the same states as the reducer with its simulated worker. Timing and other checks on
 * the simulated clock stay in test/executor/flowables.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRun } from '../../src/execution/types.ts';
import { flowSource, runCase } from '../executor/flow-cases.ts';
import { suites } from '../executor/flows/index.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => engine?.dispose());

/** Task runs as `taskId:state`, sorted: parallel branches may be created in another order. */
const summary = (runs: TaskRun[]): string[] => runs.map((t) => `${t.taskId}:${t.state.current}`).sort();

for (const [title, cases] of suites)
  describe.concurrent(title, () => {
    for (const c of cases)
      (c.engineBug ? it.fails : it)(
        `${c.name} → ${c.state}, ${c.tr} task runs${c.engineBug ? ` (engine bug: ${c.engineBug})` : ''}`,
        async () => {
          const { namespace, id } = await engine.deploy(flowSource(c));
          const e = await engine.run(namespace, id, c.inputs ?? {});
          expect(summary(e.taskRuns)).toEqual(summary(runCase(c).execution.taskRuns));
          expect(e.taskRuns).toHaveLength(c.tr);
          expect(e.state.current).toBe(c.state);
        },
      );
  });
