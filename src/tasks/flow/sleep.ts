import { Duration, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const sleep: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Sleep',
  aliases: ['sleep'],
  kind: 'runnable',
  title: 'Wait for a duration.',
  description:
    'Does nothing for `duration`, then ends in SUCCESS. The wait is cancelled if the execution is killed.',
  example: `id: wait
type: io.kestra.plugin.core.flow.Sleep
duration: PT5S
`,
  properties: Props(
    { duration: Duration({ description: 'How long to wait (ISO-8601, e.g. `PT5S`).' }) },
    {
      required: ['duration'],
    },
  ),
};
