import { Type } from '@sinclair/typebox';
import { DString, dyn, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const fail: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.Fail',
  aliases: ['io.kestra.core.tasks.executions.Fail', 'fail'],
  kind: 'runnable',
  title: 'Fail the execution, optionally only when a condition holds.',
  description:
    'Fails with `errorMessage`. With a `condition`, fails only when the rendered condition is truthy ' +
    'and otherwise ends in SUCCESS. Useful to stop a flow on bad data or in an unexpected `Switch` case.',
  example: `id: check
type: io.kestra.plugin.core.execution.Fail
condition: "{{ 1 > 2 }}"
errorMessage: one is not greater than two
`,
  properties: Props({
    condition: DString({ description: 'Fail only when this renders truthy; always fail when absent.' }),
    errorMessage: DString({ default: 'Task failure', description: 'Message of the failure.' }),
  }),
};

export const exit: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.Exit',
  aliases: ['exit'],
  kind: 'runnable',
  title: 'End the execution now, in a given state.',
  description:
    'When `condition` renders truthy, stops the execution: running tasks are killed, no other task ' +
    'starts, and the execution ends in `state`.',
  example: `id: stop
type: io.kestra.plugin.core.execution.Exit
condition: "{{ true }}"
state: WARNING
`,
  properties: Props(
    {
      condition: DString({ description: 'Exit only when this renders truthy.' }),
      state: dyn(StringEnum(['SUCCESS', 'WARNING', 'KILLED', 'FAILED', 'CANCELLED']), {
        default: 'SUCCESS',
        description: 'Final state of the execution.',
      }),
    },
    { required: ['condition'] },
  ),
};

export const assert: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.Assert',
  aliases: ['assert'],
  kind: 'runnable',
  title: 'Fail when one of a list of conditions does not hold.',
  description:
    'Renders each of `conditions`; every falsy one is logged, and the task fails when at least one is ' +
    'falsy. Outputs: `failed` and `success` counts.',
  example: `id: check
type: io.kestra.plugin.core.execution.Assert
conditions:
  - "{{ 1 + 1 == 2 }}"
  - "{{ 'a' != 'b' }}"
`,
  properties: Props(
    {
      conditions: Type.Array(Type.String({ dynamic: true }), {
        minItems: 1,
        dynamic: true,
        description: 'Expressions that must all render truthy.',
      }),
      errorMessage: DString({
        description: 'Message of the failure; a default names the failed conditions.',
      }),
    },
    { required: ['conditions'] },
  ),
};
