/**
 * The project's own flows (test/executor/flows/) through the pure reducer with the simulated worker: the
 * final state, the number of task runs, and each case's own checks (order, timing on the simulated clock,
 * outputs, logs). Kestra's own flows go through the reducer in test/conformance/reducer.test.ts.
 */
import { describe } from 'vitest';
import { itReaches } from './flow-cases.ts';
import { suites } from './flows/index.ts';

for (const [title, cases] of suites) describe(title, () => itReaches(cases));
