import { Type } from '@sinclair/typebox';
import { Labels } from '../flow/subflow-common.ts';
import { Duration, JsonMap, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const scheduleOnDates: TaskDefinition = {
  type: 'io.kestra.plugin.core.trigger.ScheduleOnDates',
  aliases: ['scheduleondates'],
  kind: 'trigger',
  title: 'Start executions at a list of dates.',
  description:
    'Starts one execution at each date of `dates` (ISO-8601 date-times, or an expression rendering to a ' +
    'list of them), e.g. a list of release days.',
  example: `id: release_days
type: io.kestra.plugin.core.trigger.ScheduleOnDates
dates:
  - 2030-01-15T09:00:00Z
  - 2030-02-15T09:00:00Z
`,
  properties: Props(
    {
      dates: Type.Union([Type.Array(Type.String()), Type.String()], {
        dynamic: true,
        description: 'The date-times to start executions at.',
      }),
      timezone: Type.String({ description: 'IANA time zone of dates without an offset.' }),
      inputs: JsonMap({ dynamic: true, description: 'Inputs of the executions started.' }),
      labels: { ...Labels, description: 'Labels of the executions started.' },
      interval: Duration({ description: 'Deprecated: no effect.' }),
      recoverMissedSchedules: StringEnum(['LAST', 'NONE', 'ALL'], {
        default: 'ALL',
        description: 'Dates missed while the scheduler was down: start them all, only the last one, or none.',
      }),
    },
    { required: ['dates'] },
  ),
};
