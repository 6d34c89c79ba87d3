import { Type } from '@sinclair/typebox';
import { Labels } from '../flow/subflow-common.ts';
import { Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const labels: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.Labels',
  aliases: ['labels'],
  kind: 'runnable',
  title: 'Add or replace labels of the current execution.',
  description:
    'Sets labels of the running execution: a map `key: value`, a list of `{key, value}`, or an ' +
    'expression / JSON string rendering to a map. Keys and values are rendered. Existing labels with ' +
    'the same key are replaced. `system.*` labels cannot be set.',
  example: `id: tag
type: io.kestra.plugin.core.execution.Labels
labels:
  environment: production
  run: "{{ execution.id }}"
`,
  properties: Props(
    {
      labels: Type.Union([...Labels.anyOf, Type.String()], {
        dynamic: true,
        description:
          'Labels: a map, a list of `{key, value}`, or a JSON string / expression rendering to a map.',
      }),
    },
    { required: ['labels'] },
  ),
};
