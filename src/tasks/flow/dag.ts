import { Type } from '@sinclair/typebox';
import { Props, SingleTask } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

const DagTask = Type.Object(
  {
    task: SingleTask({ description: 'The task.' }),
    dependsOn: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Ids of the tasks of this Dag that must end before this one starts.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const dag: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Dag',
  aliases: ['io.kestra.core.tasks.flows.Dag', 'dag'],
  kind: 'flowable',
  title: 'Run tasks in the order set by their dependencies.',
  description:
    'Each item of `tasks` holds one `task` and the ids it `dependsOn`. A task starts as soon as all its ' +
    'dependencies have ended; independent tasks run at the same time (at most `concurrent`, 0: no limit). ' +
    'Dependencies must name tasks of the same Dag and must not form a cycle.',
  example: `id: dag
type: io.kestra.plugin.core.flow.Dag
tasks:
  - task:
      id: extract
      type: io.kestra.plugin.core.log.Log
      message: extract
  - task:
      id: load
      type: io.kestra.plugin.core.log.Log
      message: load
    dependsOn:
      - extract
`,
  properties: Props(
    {
      concurrent: Type.Integer({
        minimum: 0,
        default: 0,
        description: 'How many tasks may run at the same time; 0 means no limit.',
      }),
      tasks: Type.Array(DagTask, {
        minItems: 1,
        children: true,
        description: 'The tasks, each with the ids of the tasks it depends on.',
      }),
      ...errorHandlers,
    },
    { required: ['tasks'] },
  ),
  children: { lists: ['errors', 'finally'], wrapped: [{ list: 'tasks', key: 'task' }] },
};
