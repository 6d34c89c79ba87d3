import { DString, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const templatedTask: TaskDefinition = {
  type: 'io.kestra.plugin.core.templating.TemplatedTask',
  aliases: ['templatedtask'],
  kind: 'runnable',
  title: 'Run a task whose YAML definition is rendered at run time.',
  description:
    'Renders `spec` into the YAML of a runnable task (without `id`), then runs it. Lets any property, ' +
    'even a non-dynamic one, come from an expression. The rendered task is validated before it runs.',
  example: `id: templated
type: io.kestra.plugin.core.templating.TemplatedTask
spec: |
  type: io.kestra.plugin.core.log.Log
  message: "{{ 'rendered at run time' }}"
`,
  properties: Props(
    { spec: DString({ minLength: 1, description: 'YAML of the task to run, rendered first.' }) },
    { required: ['spec'] },
  ),
};

export const templatingDefinitions: TaskDefinition[] = [templatedTask];
