import { Type } from '@sinclair/typebox';
import { Props, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

export const parallel: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Parallel',
  aliases: ['io.kestra.core.tasks.flows.Parallel', 'parallel'],
  kind: 'flowable',
  title: 'Run tasks at the same time.',
  description:
    'Starts its `tasks` concurrently, at most `concurrent` at a time (0: no limit). Each child is one ' +
    'branch: to run several tasks in order inside a branch, wrap them in a `Sequential`. ' +
    'The task fails once one child fails, after the running children have ended.',
  example: `id: parallel
type: io.kestra.plugin.core.flow.Parallel
concurrent: 2
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: a
  - id: b
    type: io.kestra.plugin.core.log.Log
    message: b
`,
  properties: Props(
    {
      concurrent: Type.Integer({
        minimum: 0,
        default: 0,
        description: 'How many child tasks may run at the same time; 0 means no limit.',
      }),
      tasks: TaskList({ minItems: 1, description: 'The tasks to run concurrently.' }),
      ...errorHandlers,
    },
    { required: ['tasks'] },
  ),
  children: { lists: ['tasks', 'errors', 'finally'] },
};
