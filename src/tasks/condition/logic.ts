/** Conditions combining other conditions, and expression conditions. */
import { Type } from '@sinclair/typebox';
import { ConditionRef, DString, Props, StaticDuration } from '../schema.ts';
import { defineCondition } from './define.ts';

export const not = defineCondition({
  name: 'Not',
  title: 'None of the conditions holds.',
  description: 'Holds when every condition of `conditions` is false.',
  example: `type: io.kestra.plugin.core.condition.Not
conditions:
  - type: io.kestra.plugin.core.condition.Weekend
`,
  properties: Props(
    { conditions: Type.Array(ConditionRef(), { minItems: 1, description: 'The conditions.' }) },
    { required: ['conditions'] },
  ),
});

export const or = defineCondition({
  name: 'Or',
  title: 'At least one of the conditions holds.',
  description: 'Holds when one condition of `conditions` is true.',
  example: `type: io.kestra.plugin.core.condition.Or
conditions:
  - type: io.kestra.plugin.core.condition.DayWeek
    dayOfWeek: MONDAY
  - type: io.kestra.plugin.core.condition.Weekend
`,
  properties: Props(
    { conditions: Type.Array(ConditionRef(), { minItems: 1, description: 'The conditions.' }) },
    { required: ['conditions'] },
  ),
});

/** Expression and its old name VariableCondition take the same single property. */
const expressionProperties = Props(
  { expression: DString({ description: 'Expression that must render truthy.' }) },
  { required: ['expression'] },
);

export const expression = defineCondition({
  name: 'Expression',
  title: 'An expression holds.',
  description: 'Renders `expression` with the trigger context; holds when the result is truthy.',
  example: `type: io.kestra.plugin.core.condition.Expression
expression: "{{ flow.namespace == 'company.team' }}"
`,
  properties: expressionProperties,
});

export const variableCondition = defineCondition({
  name: 'VariableCondition',
  oldName: 'VariableCondition',
  deprecated: true,
  title: 'An expression holds (deprecated: use Expression).',
  description: 'Old name of the `Expression` condition.',
  example: `type: io.kestra.plugin.core.condition.VariableCondition
expression: "{{ true }}"
`,
  properties: expressionProperties,
});

export const multipleCondition = defineCondition({
  name: 'MultipleCondition',
  oldName: 'MultipleCondition',
  title: 'Several conditions were each met once within a time window.',
  description:
    'For Flow triggers: remembers which of the named `conditions` were met by upstream executions, and ' +
    'holds once all of them were met within the same `window` (shifted by `windowAdvance`). Prefer ' +
    '`preconditions` of the Flow trigger.',
  example: `id: both_done
type: io.kestra.plugin.core.condition.MultipleCondition
window: P1D
windowAdvance: P0D
conditions:
  flow_a:
    type: io.kestra.plugin.core.condition.ExecutionFlow
    namespace: company.team
    flowId: a
  flow_b:
    type: io.kestra.plugin.core.condition.ExecutionFlow
    namespace: company.team
    flowId: b
`,
  properties: Props(
    {
      id: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]*$', description: 'Id of the condition state.' }),
      window: StaticDuration({ default: 'P1D', description: 'Length of the time window.' }),
      windowAdvance: StaticDuration({ default: 'PT0S', description: 'Offset of the start of each window.' }),
      conditions: Type.Record(Type.String(), ConditionRef(), {
        minProperties: 1,
        description: 'The conditions to meet, by name.',
      }),
      resetOnSuccess: Type.Boolean({
        default: true,
        description: 'Forget the met conditions once all were met and the trigger fired.',
      }),
    },
    { required: ['id', 'conditions'] },
  ),
});

export const logicConditions = [not, or, expression, variableCondition, multipleCondition];
