import { Type } from '@sinclair/typebox';
import { DString, Duration, dyn, Props, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

const CheckFrequency = Type.Object(
  {
    maxIterations: Type.Optional(
      dyn(Type.Integer({ minimum: 1 }), { default: 100, description: 'Stop after this many iterations.' }),
    ),
    maxDuration: Type.Optional(
      Duration({ default: 'PT1H', description: 'Stop once this much time has passed.' }),
    ),
    interval: Type.Optional(Duration({ default: 'PT1S', description: 'Wait between two iterations.' })),
  },
  { additionalProperties: false, description: 'How often to iterate and when to give up.' },
);

const properties = Props(
  {
    condition: DString({
      description:
        'Exit condition, evaluated after each iteration: the loop ends once it is truthy and goes on while it is falsy.',
    }),
    tasks: TaskList({ minItems: 1, description: 'Tasks run at each iteration.' }),
    failOnMaxReached: Type.Boolean({
      default: false,
      description: 'Fail (instead of succeeding) when `maxIterations` or `maxDuration` is reached.',
    }),
    checkFrequency: CheckFrequency,
    ...errorHandlers,
  },
  { required: ['condition', 'tasks'] },
);

const description =
  'Runs `tasks`, then evaluates `condition`: once it is truthy the loop ends; while it is falsy, waits ' +
  '`checkFrequency.interval` and runs the tasks again, until `maxIterations` or `maxDuration` is reached ' +
  '(checked first: reaching them ends the loop, FAILED with `failOnMaxReached`). Inside, ' +
  '`{{ outputs.<this task>.iterationCount }}` is the current iteration, from 1. Output: `iterationCount`, ' +
  'the number of iterations run.';

export const waitFor: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.WaitFor',
  // LoopUntil is the name Kestra gave WaitFor after 0.21; flows written for later versions use it.
  aliases: ['io.kestra.plugin.core.flow.LoopUntil', 'waitfor', 'loopuntil'],
  kind: 'flowable',
  title: 'Repeat tasks until a condition becomes true.',
  description,
  example: `id: poll
type: io.kestra.plugin.core.flow.WaitFor
condition: "{{ outputs.check.values.count == '3' }}"
checkFrequency:
  interval: PT1S
  maxIterations: 10
tasks:
  - id: check
    type: io.kestra.plugin.core.output.OutputValues
    values:
      count: "{{ outputs.poll.iterationCount }}"
`,
  properties,
  children: { lists: ['tasks', 'errors', 'finally'] },
};
