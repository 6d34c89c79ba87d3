import { Type } from '@sinclair/typebox';
import { DString, Props, TaskList, TaskMap } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

export const switchTask: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Switch',
  aliases: ['io.kestra.core.tasks.flows.Switch', 'switch'],
  kind: 'flowable',
  title: 'Run the tasks of the case matching a value.',
  description:
    'Renders `value` and runs the list of `cases` whose key equals it (keys are compared as strings), ' +
    'or `defaults` when no case matches. With no match and no `defaults`, the task fails. ' +
    'Outputs: `value` (the rendered value) and `defaults` (whether `defaults` ran).',
  example: `id: route
type: io.kestra.plugin.core.flow.Switch
value: "{{ 'B' }}"
cases:
  A:
    - id: case_a
      type: io.kestra.plugin.core.log.Log
      message: got A
  B:
    - id: case_b
      type: io.kestra.plugin.core.log.Log
      message: got B
defaults:
  - id: other
    type: io.kestra.plugin.core.log.Log
    message: got something else
`,
  properties: Props(
    {
      value: DString({ description: 'The value to match against the keys of `cases`.' }),
      cases: TaskMap({ description: 'Tasks to run, by value.' }),
      // `defaults: null` is valid in Kestra (switch-impossible.yaml): same as absent.
      defaults: Type.Union([TaskList({ minItems: 1 }), Type.Null()], {
        children: true,
        description: 'Tasks run when no case matches the value.',
      }),
      ...errorHandlers,
    },
    { required: ['value'] },
  ),
  children: { lists: ['defaults', 'errors', 'finally'], maps: ['cases'] },
};
