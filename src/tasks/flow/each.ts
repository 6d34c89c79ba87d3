/** The deprecated predecessors of ForEach. */
import { Type } from '@sinclair/typebox';
import { ListOrString, Props, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

const value = ListOrString(Type.Unknown(), {
  description: 'The items to iterate over: a list, a JSON array string, or an expression rendering to one.',
});

export const eachSequential: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.EachSequential',
  aliases: ['io.kestra.core.tasks.flows.EachSequential', 'eachsequential'],
  kind: 'flowable',
  deprecated: true,
  title: 'Run tasks once per value, one value at a time (deprecated: use ForEach).',
  description:
    'Runs its `tasks` for each item of `value`, one iteration after the other. ' +
    '`{{ taskrun.value }}` is the current item. Replaced by `ForEach` with `concurrencyLimit: 1`.',
  example: `id: each
type: io.kestra.plugin.core.flow.EachSequential
value: '["a", "b"]'
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ taskrun.value }}"
`,
  properties: Props(
    { value, tasks: TaskList({ minItems: 1, description: 'Tasks run for each value.' }), ...errorHandlers },
    { required: ['value', 'tasks'] },
  ),
  children: { lists: ['tasks', 'errors', 'finally'] },
};

export const eachParallel: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.EachParallel',
  aliases: ['io.kestra.core.tasks.flows.EachParallel', 'eachparallel'],
  kind: 'flowable',
  deprecated: true,
  title: 'Run tasks once per value, values in parallel (deprecated: use ForEach).',
  description:
    'Runs its `tasks` for each item of `value`, iterations concurrently (at most `concurrent` at a time, ' +
    '0: no limit). Replaced by `ForEach` with `concurrencyLimit`.',
  example: `id: each
type: io.kestra.plugin.core.flow.EachParallel
value: ["a", "b"]
concurrent: 2
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ taskrun.value }}"
`,
  properties: Props(
    {
      value,
      concurrent: Type.Integer({
        minimum: 0,
        default: 0,
        description: 'How many iterations may run at the same time; 0 means no limit.',
      }),
      tasks: TaskList({ minItems: 1, description: 'Tasks run for each value.' }),
      ...errorHandlers,
    },
    { required: ['value', 'tasks'] },
  ),
  children: { lists: ['tasks', 'errors', 'finally'] },
};
