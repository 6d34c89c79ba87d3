import { JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const outputValues: TaskDefinition = {
  type: 'io.kestra.plugin.core.output.OutputValues',
  aliases: ['io.kestra.core.tasks.outputs.OutputValues', 'outputvalues'],
  kind: 'runnable',
  title: 'Return values as outputs.',
  description:
    'Renders each value of `values` (strings are rendered, lists and maps recursively) and returns them ' +
    'as the output `values`, read as `{{ outputs.<task>.values.<key> }}`.',
  example: `id: out
type: io.kestra.plugin.core.output.OutputValues
values:
  greeting: "Hello {{ flow.id }}"
  count: 3
`,
  properties: Props({ values: JsonMap({ dynamic: true, description: 'The values to return; rendered.' }) }),
};

export const outputDefinitions: TaskDefinition[] = [outputValues];
