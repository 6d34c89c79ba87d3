import { Type } from '@sinclair/typebox';
import { Labels } from '../flow/subflow-common.ts';
import { ConditionRef, Duration, JsonMap, Props, StaticDuration, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const Backfill = Type.Object(
  {
    start: Type.Optional(Type.String({ description: 'Date-time of the first schedule to replay.' })),
    end: Type.Optional(
      Type.String({ description: 'Date-time of the last schedule to replay; now when absent.' }),
    ),
    inputs: Type.Optional(JsonMap({ description: 'Inputs of the replayed executions.' })),
    labels: Type.Optional(Labels),
  },
  { additionalProperties: true, description: 'Deprecated: replay the schedules of a past period once.' },
);

export const schedule: TaskDefinition = {
  type: 'io.kestra.plugin.core.trigger.Schedule',
  aliases: ['io.kestra.core.models.triggers.types.Schedule', 'schedule'],
  kind: 'trigger',
  title: 'Start executions on a cron schedule.',
  description:
    'Starts an execution at each date matching `cron` (5 fields, or 6 with `withSeconds`; `@hourly`, ' +
    '`@daily`... are accepted) in `timezone`. In the flow, `{{ trigger.date }}` is the scheduled date and ' +
    '`{{ trigger.next }}` / `{{ trigger.previous }}` its neighbours. `recoverMissedSchedules` says what to ' +
    'do with dates missed while Baton was down.',
  example: `id: every_morning
type: io.kestra.plugin.core.trigger.Schedule
cron: "0 8 * * MON-FRI"
timezone: Europe/Paris
recoverMissedSchedules: LAST
`,
  properties: Props(
    {
      cron: Type.String({
        minLength: 1,
        description: 'Cron expression, or `@hourly`, `@daily`, `@weekly`...',
      }),
      withSeconds: Type.Boolean({
        default: false,
        description: 'The cron expression has a first seconds field.',
      }),
      timezone: Type.String({
        description: 'IANA time zone of the cron expression; the server zone by default.',
      }),
      inputs: JsonMap({ dynamic: true, description: 'Inputs of the executions started.' }),
      labels: { ...Labels, description: 'Labels of the executions started.' },
      backfill: Backfill,
      lateMaximumDelay: StaticDuration({
        description: 'Skip a schedule that could not start within this delay after its date.',
      }),
      recoverMissedSchedules: StringEnum(['LAST', 'NONE', 'ALL'], {
        default: 'ALL',
        description: 'Dates missed while the scheduler was down: start them all, only the last one, or none.',
      }),
      interval: Duration({ description: 'Deprecated: no effect.' }),
      scheduleConditions: Type.Array(ConditionRef(), {
        description: 'Deprecated: same as `conditions`, evaluated on the scheduled date.',
      }),
    },
    { required: ['cron'] },
  ),
};
