import { Props, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

export const sequential: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Sequential',
  aliases: ['io.kestra.core.tasks.flows.Sequential', 'sequential'],
  kind: 'flowable',
  title: 'Run tasks one after the other.',
  description:
    'Runs its `tasks` in order; each starts once the previous one has ended in SUCCESS or WARNING. ' +
    'The first failure stops the remaining tasks and runs `errors`. Useful to group tasks, ' +
    'for example inside a `Parallel` branch.',
  example: `id: sequential
type: io.kestra.plugin.core.flow.Sequential
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: first
  - id: second
    type: io.kestra.plugin.core.log.Log
    message: second
`,
  properties: Props(
    {
      tasks: TaskList({ minItems: 1, description: 'The tasks to run, in order.' }),
      ...errorHandlers,
    },
    { required: ['tasks'] },
  ),
  children: { lists: ['tasks', 'errors', 'finally'] },
};
