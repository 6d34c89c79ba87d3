/** Conditions on the upstream execution (used by Flow triggers). */
import { Type } from '@sinclair/typebox';
import { Labels } from '../flow/subflow-common.ts';
import { DString, Props, STATES, StringEnum } from '../schema.ts';
import { defineCondition } from './define.ts';

const States = (description: string) => Type.Array(StringEnum(STATES), { description });

export const executionFlow = defineCondition({
  name: 'ExecutionFlow',
  title: 'The upstream execution belongs to a given flow.',
  description: 'Holds when the execution that fired a Flow trigger is one of flow `namespace`/`flowId`.',
  example: `type: io.kestra.plugin.core.condition.ExecutionFlow
namespace: company.team
flowId: upstream
`,
  properties: Props(
    {
      namespace: Type.String({ description: 'Namespace of the flow.' }),
      flowId: Type.String({ description: 'Id of the flow.' }),
    },
    { required: ['namespace', 'flowId'] },
  ),
});

export const executionStatus = defineCondition({
  name: 'ExecutionStatus',
  title: 'The upstream execution is in (or not in) given states.',
  description: 'Holds when the state of the execution is one of `in` (if set) and none of `notIn` (if set).',
  example: `type: io.kestra.plugin.core.condition.ExecutionStatus
in:
  - SUCCESS
  - WARNING
`,
  properties: Props({
    in: States('States the execution must be in.'),
    notIn: States('States the execution must not be in.'),
  }),
});

export const executionNamespace = defineCondition({
  name: 'ExecutionNamespace',
  title: 'The upstream execution belongs to a namespace.',
  description:
    'Holds when the namespace of the execution equals `namespace`, or starts / ends with it depending on ' +
    '`comparison`.',
  example: `type: io.kestra.plugin.core.condition.ExecutionNamespace
namespace: company
comparison: PREFIX
`,
  properties: Props(
    {
      namespace: Type.String({ description: 'The namespace (or part of it) to compare with.' }),
      comparison: StringEnum(['EQUALS', 'PREFIX', 'SUFFIX'], {
        description: 'How to compare; EQUALS by default (PREFIX if the deprecated `prefix` is true).',
      }),
      prefix: Type.Boolean({ default: false, description: 'Deprecated: same as `comparison: PREFIX`.' }),
    },
    { required: ['namespace'] },
  ),
});

export const executionLabels = defineCondition({
  name: 'ExecutionLabels',
  title: 'The upstream execution carries given labels.',
  description: 'Holds when the execution has all the `labels` (same key and value).',
  example: `type: io.kestra.plugin.core.condition.ExecutionLabels
labels:
  environment: production
`,
  properties: Props({ labels: Labels }, { required: ['labels'] }),
});

export const executionOutputs = defineCondition({
  name: 'ExecutionOutputs',
  title: 'An expression on the outputs of the upstream execution holds.',
  description: 'Renders `expression` with the upstream execution `outputs`; holds when the result is truthy.',
  example: `type: io.kestra.plugin.core.condition.ExecutionOutputs
expression: "{{ outputs.check.value == 'ok' }}"
`,
  properties: Props(
    { expression: DString({ description: 'Expression that must render truthy.' }) },
    { required: ['expression'] },
  ),
});

export const hasRetryAttempt = defineCondition({
  name: 'HasRetryAttempt',
  title: 'The upstream execution retried a task.',
  description: 'Holds when a task run of the execution has an attempt in one of `in` (and none of `notIn`).',
  example: `type: io.kestra.plugin.core.condition.HasRetryAttempt
in:
  - FAILED
`,
  properties: Props({
    in: States('Attempt states that count.'),
    notIn: States('Attempt states that do not count.'),
  }),
});

export const flowCondition = defineCondition({
  name: 'FlowCondition',
  oldName: 'FlowCondition',
  deprecated: true,
  title: 'The current flow is a given flow (deprecated).',
  description: 'Holds when the flow being evaluated is `namespace`/`flowId`.',
  example: `type: io.kestra.plugin.core.condition.FlowCondition
namespace: company.team
flowId: my_flow
`,
  properties: Props(
    {
      namespace: Type.String({ description: 'Namespace.' }),
      flowId: Type.String({ description: 'Flow id.' }),
    },
    { required: ['namespace', 'flowId'] },
  ),
});

export const flowNamespaceCondition = defineCondition({
  name: 'FlowNamespaceCondition',
  oldName: 'FlowNamespaceCondition',
  deprecated: true,
  title: 'The current flow belongs to a namespace (deprecated).',
  description: 'Holds when the flow namespace equals `namespace`, or starts with it when `prefix` is true.',
  example: `type: io.kestra.plugin.core.condition.FlowNamespaceCondition
namespace: company
prefix: true
`,
  properties: Props(
    {
      namespace: Type.String({ description: 'Namespace.' }),
      prefix: Type.Boolean({ default: false, description: 'Compare as a prefix.' }),
    },
    { required: ['namespace'] },
  ),
});

export const executionConditions = [
  executionFlow,
  executionStatus,
  executionNamespace,
  executionLabels,
  executionOutputs,
  hasRetryAttempt,
  flowCondition,
  flowNamespaceCondition,
];
