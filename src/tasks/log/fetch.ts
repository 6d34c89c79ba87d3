import { Type } from '@sinclair/typebox';
import { DString, LOG_LEVELS, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const fetchLogs: TaskDefinition = {
  type: 'io.kestra.plugin.core.log.Fetch',
  aliases: ['io.kestra.core.tasks.log.Fetch', 'log.fetch'],
  kind: 'runnable',
  title: 'Save the logs of an execution to a file.',
  description:
    'Collects the log lines of an execution (the current one by default), optionally only those of ' +
    'some tasks and at or above `level`, and writes them as one JSON object per line to the internal ' +
    'storage. Outputs: `uri` of the file and `size` (number of lines).',
  example: `id: fetch
type: io.kestra.plugin.core.log.Fetch
level: WARN
`,
  properties: Props({
    namespace: DString({ description: 'Namespace of the execution; the current one by default.' }),
    flowId: DString({ description: 'Flow id of the execution; the current one by default.' }),
    executionId: DString({ description: 'Execution to read the logs of; the current one by default.' }),
    tasksId: Type.Array(Type.String(), { description: 'Keep only the logs of these task ids.' }),
    level: StringEnum(LOG_LEVELS, { default: 'INFO', description: 'Minimum level of the logs kept.' }),
  }),
};
