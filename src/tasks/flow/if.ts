import { DString, Props, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

export const ifTask: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.If',
  aliases: ['io.kestra.core.tasks.flows.If', 'if'],
  kind: 'flowable',
  title: 'Run tasks when a condition holds, others otherwise.',
  description:
    'Renders `condition`; when the result is truthy runs `then`, otherwise `else` (if any). ' +
    'Truthy follows Kestra: `true`, `"true"` (any case) and non-zero numbers are true; ' +
    '`false`, `"false"`, `0`, `-0`, an empty string and null are false.',
  example: `id: check
type: io.kestra.plugin.core.flow.If
condition: "{{ 1 + 1 == 2 }}"
then:
  - id: yes
    type: io.kestra.plugin.core.log.Log
    message: condition was true
else:
  - id: no
    type: io.kestra.plugin.core.log.Log
    message: condition was false
`,
  properties: Props(
    {
      condition: DString({ description: 'Expression whose rendered value decides which branch runs.' }),
      // biome-ignore lint/suspicious/noThenProperty: the If task's property is named `then` in Kestra's flow language.
      then: TaskList({ minItems: 1, description: 'Tasks run when the condition is truthy.' }),
      else: TaskList({ description: 'Tasks run when the condition is falsy.' }),
      ...errorHandlers,
    },
    { required: ['condition', 'then'] },
  ),
  children: { lists: ['then', 'else', 'errors', 'finally'] },
};
