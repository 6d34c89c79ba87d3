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
      description: 'Expression evaluated after each iteration; the loop goes on while it is truthy.',
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
  'Runs `tasks`, then evaluates `condition`: while it is truthy, waits `checkFrequency.interval` and runs ' +
  'the tasks again, until `maxIterations` or `maxDuration` is reached. Inside, ' +
  '`{{ outputs.<this task>.iterationCount }}` is the number of finished iterations. Output: `iterationCount`.';

export const waitFor: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.WaitFor',
  // LoopUntil is the name Kestra gave WaitFor after 0.21; flows written for later versions use it.
  aliases: ['io.kestra.plugin.core.flow.LoopUntil', 'waitfor', 'loopuntil'],
  kind: 'flowable',
  title: 'Repeat tasks while a condition holds.',
  description,
  example: `id: poll
type: io.kestra.plugin.core.flow.WaitFor
condition: "{{ outputs.check.values.count < 3 }}"
checkFrequency:
  interval: PT1S
  maxIterations: 10
tasks:
  - id: check
    type: io.kestra.plugin.core.output.OutputValues
    values:
      count: "{{ (outputs.poll.iterationCount ?? 0) + 1 }}"
`,
  properties,
  children: { lists: ['tasks', 'errors', 'finally'] },
};
