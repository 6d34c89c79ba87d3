import { DString, LOG_LEVELS, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const returnTask: TaskDefinition = {
  type: 'io.kestra.plugin.core.debug.Return',
  aliases: ['io.kestra.core.tasks.debugs.Return', 'return'],
  kind: 'runnable',
  title: 'Render a value and return it as an output.',
  description: 'Renders `format` and returns it as the output `value`. Handy to compute and reuse a value.',
  example: `id: greeting
type: io.kestra.plugin.core.debug.Return
format: "Hello {{ flow.id }}"
`,
  properties: Props({
    format: DString({ description: 'The text to render; its result is the output `value`.' }),
  }),
};

export const echo: TaskDefinition = {
  type: 'io.kestra.plugin.core.debug.Echo',
  aliases: ['io.kestra.core.tasks.debugs.Echo', 'echo'],
  kind: 'runnable',
  deprecated: true,
  title: 'Log a message (deprecated: use Log).',
  description: 'Renders `format` and logs it at `level`. Replaced by `io.kestra.plugin.core.log.Log`.',
  example: `id: say
type: io.kestra.plugin.core.debug.Echo
format: "Running {{ task.id }}"
`,
  properties: Props(
    {
      format: DString({ description: 'The message to render and log.' }),
      level: StringEnum(LOG_LEVELS, { default: 'INFO', description: 'Level of the log line.' }),
    },
    { required: ['format'] },
  ),
};

export const debugDefinitions: TaskDefinition[] = [returnTask, echo];
