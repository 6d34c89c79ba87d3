import { Type } from '@sinclair/typebox';
import { JsonMap, Props, STATES, StaticDuration, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const UpstreamFlow = Type.Object(
  {
    namespace: Type.String({ description: 'Namespace of the upstream flow.' }),
    flowId: Type.Optional(
      Type.String({ description: 'Id of the upstream flow; any flow of the namespace when absent.' }),
    ),
    states: Type.Optional(
      Type.Array(StringEnum(STATES), { description: 'States of its executions that count.' }),
    ),
    labels: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'Labels it must carry.' }),
    ),
  },
  { additionalProperties: false },
);

const Filter = Type.Object(
  {
    field: StringEnum(['FLOW_ID', 'NAMESPACE', 'STATE', 'EXPRESSION'], { description: 'What to compare.' }),
    type: StringEnum(
      [
        'EQUAL_TO',
        'NOT_EQUAL_TO',
        'IS_NULL',
        'IS_NOT_NULL',
        'IS_TRUE',
        'IS_FALSE',
        'STARTS_WITH',
        'ENDS_WITH',
        'REGEX',
        'CONTAINS',
        'IN',
        'NOT_IN',
        'PREFIX',
      ],
      { description: 'How to compare.' },
    ),
    value: Type.Optional(Type.String({ description: 'The value to compare with.' })),
    values: Type.Optional(Type.Array(Type.String(), { description: 'The values (IN, NOT_IN).' })),
  },
  { additionalProperties: false },
);

const TimeWindow = Type.Object(
  {
    type: Type.Optional(
      StringEnum(['DURATION_WINDOW', 'SLIDING_WINDOW', 'DAILY_TIME_WINDOW', 'DAILY_TIME_DEADLINE'], {
        default: 'DURATION_WINDOW',
        description: 'Kind of window.',
      }),
    ),
    window: Type.Optional(StaticDuration({ description: 'Length of the window (DURATION / SLIDING).' })),
    windowAdvance: Type.Optional(StaticDuration({ description: 'Offset of the window start (DURATION).' })),
    startTime: Type.Optional(Type.String({ description: 'Start time of day (DAILY_TIME_WINDOW).' })),
    endTime: Type.Optional(Type.String({ description: 'End time of day (DAILY_TIME_WINDOW).' })),
    deadline: Type.Optional(Type.String({ description: 'Time of day the conditions must be met by.' })),
  },
  { additionalProperties: false, description: 'Period within which all the preconditions must be met.' },
);

const Preconditions = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'Name of the precondition set (for its stored state).' })),
    flows: Type.Optional(Type.Array(UpstreamFlow, { description: 'Upstream flows that must all have run.' })),
    where: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String(),
            operand: Type.Optional(StringEnum(['AND', 'OR'], { default: 'AND' })),
            filters: Type.Array(Filter),
          },
          { additionalProperties: false },
        ),
        { description: 'Filters on the upstream execution (all must hold).' },
      ),
    ),
    timeWindow: Type.Optional(TimeWindow),
    resetOnSuccess: Type.Optional(
      Type.Boolean({ default: true, description: 'Start counting again once the trigger fired.' }),
    ),
  },
  { additionalProperties: false, description: 'Upstream executions that must be seen before firing.' },
);

export const flowTrigger: TaskDefinition = {
  type: 'io.kestra.plugin.core.trigger.Flow',
  aliases: ['io.kestra.core.models.triggers.types.Flow', 'trigger.flow'],
  kind: 'trigger',
  title: 'Start an execution when executions of other flows end.',
  description:
    'Listens to executions of other flows and starts this flow when one reaches a state of `states` ' +
    '(terminal states by default) and all `conditions` and `preconditions` hold. In the flow and its ' +
    '`inputs`, `{{ trigger.executionId }}`, `{{ trigger.namespace }}`, `{{ trigger.flowId }}`, ' +
    '`{{ trigger.state }}` describe the upstream execution, and `{{ outputs }}` its outputs.',
  example: `id: after_upstream
type: io.kestra.plugin.core.trigger.Flow
states:
  - SUCCESS
preconditions:
  id: upstream
  flows:
    - namespace: company.team
      flowId: upstream
`,
  properties: Props({
    inputs: JsonMap({
      dynamic: true,
      description: 'Inputs of the executions started; rendered with the upstream context.',
    }),
    states: Type.Array(StringEnum(STATES), {
      description: 'Upstream states that fire the trigger; all terminal states by default.',
    }),
    preconditions: Preconditions,
  }),
};
