/**
 * The project's own flows for the behaviours of Kestra's flowables, task options and outputs, with the
 * outcome each must reach. Run through the pure reducer (test/executor/flowables.test.ts) and on the real
 * engine (test/engine/flowables.test.ts). Durations are tenths of a second so that the engine run is quick.
 */
import type { FlowCase } from '../flow-cases.ts';
import { branches, truthiness } from './branches.ts';
import { failOnPurpose, tolerate } from './failures.ts';
import { loops } from './for-each.ts';
import { emptyValues, flowOutputs, loopOutputs } from './outputs.ts';
import { dag, parallel } from './parallel.ts';
import { retries } from './retries.ts';
import { sequential } from './sequential.ts';

export const suites: [title: string, cases: FlowCase[]][] = [
  ['Sequential and errors', sequential],
  ['Parallel and disabled tasks', parallel],
  ['Dag', dag],
  ['ForEach and EachSequential', loops],
  ['Switch and If', branches],
  ['If conditions, truthy and falsy', truthiness],
  ['Fail on purpose', failOnPurpose],
  ['AllowFailure, allowFailure, allowWarning, runIf', tolerate],
  ['retries', retries],
  ['outputs of looped tasks', loopOutputs],
  ['flow outputs', flowOutputs],
  ['missing and empty values', emptyValues],
];
