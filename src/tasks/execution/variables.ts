import { Type } from '@sinclair/typebox';
import { dyn, ListOrString, MapOrString, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

// Both run in the executor (Kestra's ExecutionUpdatableTask): see src/executor/flowable/variables.ts.

export const setVariables: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.SetVariables',
  aliases: ['setvariables'],
  kind: 'runnable',
  since: '0.24',
  title: 'Set execution variables, visible to later tasks as `vars`.',
  description:
    'Renders `variables` and deep-merges them into the execution variables (the flow `variables` at ' +
    'first): later tasks read them as `{{ vars.name }}`. Existing keys are replaced unless `overwrite` ' +
    'is false, in which case the task fails naming the keys that already exist. The variables are ' +
    'stored with the execution.',
  example: `id: set_vars
type: io.kestra.plugin.core.execution.SetVariables
variables:
  message: Hello
  day: "{{ execution.startDate | date('yyyy-MM-dd') }}"
`,
  properties: Props(
    {
      variables: MapOrString(Type.Unknown(), { description: 'The variables to set (rendered).' }),
      overwrite: dyn(Type.Boolean(), {
        default: true,
        description: 'Replace variables that already exist; when false, fail if one already exists.',
      }),
    },
    { required: ['variables'] },
  ),
};

export const unsetVariables: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.UnsetVariables',
  aliases: ['unsetvariables'],
  kind: 'runnable',
  since: '0.24',
  title: 'Remove execution variables.',
  description:
    'Renders a list of variable names and removes them from `vars` (a dotted name removes a key of a ' +
    'nested map). A name that does not exist fails the task unless `ignoreMissing` is true.',
  example: `id: unset_vars
type: io.kestra.plugin.core.execution.UnsetVariables
variables:
  - message
`,
  properties: Props(
    {
      variables: ListOrString(Type.String(), { description: 'Names of the variables to remove (rendered).' }),
      ignoreMissing: dyn(Type.Boolean(), {
        default: false,
        description: 'Do not fail when a variable to remove does not exist.',
      }),
    },
    { required: ['variables'] },
  ),
};
