import { LOG_LEVELS, Props, StringEnum, StringOrList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const log: TaskDefinition = {
  type: 'io.kestra.plugin.core.log.Log',
  aliases: ['io.kestra.core.tasks.log.Log', 'io.kestra.core.tasks.debugs.Log', 'log'],
  kind: 'runnable',
  title: 'Write a message to the execution logs.',
  description:
    'Renders `message` (a string, or a list of strings logged one by one) and logs it at `level`. ' +
    'The common `logLevel` property can drop it: a TRACE message with `logLevel: INFO` is not kept.',
  example: `id: hello
type: io.kestra.plugin.core.log.Log
message: "Hello from {{ flow.id }}"
level: INFO
`,
  properties: Props(
    {
      message: StringOrList({ description: 'The message, or a list of messages, to log.' }),
      level: StringEnum(LOG_LEVELS, { default: 'INFO', description: 'Level of the log line.' }),
    },
    { required: ['message'] },
  ),
};
