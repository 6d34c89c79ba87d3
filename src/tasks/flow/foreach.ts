import { Type } from '@sinclair/typebox';
import { ListOrString, Props, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

export const forEach: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.ForEach',
  aliases: ['foreach'],
  kind: 'flowable',
  title: 'Run tasks once per value of a list.',
  description:
    'Runs its `tasks` once for each item of `values`, which is a list, a JSON array string, or an ' +
    'expression rendering to one. Inside, `{{ taskrun.value }}` is the current item (objects are passed ' +
    'as JSON strings) and `{{ taskrun.iteration }}` its index. `concurrencyLimit` bounds how many ' +
    'iterations run at the same time: 1 (the default) runs them one after the other, 0 means no limit.',
  example: `id: each_fruit
type: io.kestra.plugin.core.flow.ForEach
values: ["apple", "pear"]
concurrencyLimit: 1
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ taskrun.value }}"
`,
  properties: Props(
    {
      values: ListOrString(Type.Unknown(), {
        description:
          'The items to iterate over: a list, a JSON array string, or an expression rendering to one.',
      }),
      concurrencyLimit: Type.Integer({
        minimum: 0,
        default: 1,
        description: 'How many iterations may run at the same time; 0 means no limit.',
      }),
      tasks: TaskList({ minItems: 1, description: 'Tasks run for each value.' }),
      ...errorHandlers,
    },
    { required: ['values', 'tasks'] },
  ),
  children: { lists: ['tasks', 'errors', 'finally'] },
};
