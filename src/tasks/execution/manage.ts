/** Tasks that act on other executions: Resume, Count, PurgeExecutions. */
import { Type } from '@sinclair/typebox';
import { DString, dyn, JsonMap, Props, STATES, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const resume: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.Resume',
  aliases: ['resume'],
  kind: 'runnable',
  title: 'Resume a paused execution.',
  description:
    'Resumes a PAUSED execution (by default the parent of the current execution, which makes it ' +
    'useful in a subflow), passing `inputs` to its `onResume` inputs.',
  example: `id: resume
type: io.kestra.plugin.core.execution.Resume
executionId: "{{ trigger.executionId }}"
`,
  properties: Props({
    namespace: DString({ description: 'Namespace of the execution; the current one by default.' }),
    flowId: DString({ description: 'Flow of the execution; the current one by default.' }),
    executionId: DString({ description: 'The execution to resume; the parent execution by default.' }),
    inputs: JsonMap({ dynamic: true, description: 'Values for the `onResume` inputs of the Pause task.' }),
  }),
};

const FlowRef = Type.Object(
  { namespace: Type.String(), flowId: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export const count: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.Count',
  aliases: ['io.kestra.core.tasks.executions.Counts', 'count'],
  kind: 'runnable',
  title: 'Count executions of flows and check the counts.',
  description:
    'Counts the executions of the selected flows (or namespaces) between `startDate` and `endDate`, ' +
    'optionally only in some `states`, and keeps the flows for which `expression` (with ' +
    '`{{ count }}`) is truthy. Output: `results`, a list of `{namespace, flowId, count}`.',
  example: `id: count
type: io.kestra.plugin.core.execution.Count
namespaces:
  - company.team
startDate: "{{ now() | dateAdd(-1, 'DAYS') }}"
expression: "{{ count == 0 }}"
`,
  properties: Props(
    {
      namespaces: Type.Array(Type.String(), { description: 'Count the executions of these namespaces.' }),
      flows: Type.Array(FlowRef, { description: 'Count the executions of these flows.' }),
      states: Type.Array(StringEnum(STATES), { description: 'Count only executions in these states.' }),
      startDate: DString({ description: 'Count executions started after this ISO-8601 date-time.' }),
      endDate: DString({ description: 'Count executions started before this ISO-8601 date-time.' }),
      expression: DString({ description: 'Keep the flows for which this renders truthy; `count` is set.' }),
    },
    { required: ['startDate', 'expression'] },
  ),
};

export const purgeExecutions: TaskDefinition = {
  type: 'io.kestra.plugin.core.execution.PurgeExecutions',
  aliases: ['io.kestra.core.tasks.storages.Purge', 'io.kestra.plugin.core.storage.Purge', 'purgeexecutions'],
  kind: 'runnable',
  title: 'Delete old executions with their logs, metrics and files.',
  description:
    'Deletes the executions ended before `endDate` (and after `startDate`), optionally only those of one ' +
    'namespace or flow, or in some `states`, with what belongs to them. Outputs: counts of deleted ' +
    '`executionsCount`, `logsCount`, `storagesCount`, `metricsCount`.',
  example: `id: purge
type: io.kestra.plugin.core.execution.PurgeExecutions
endDate: "{{ now() | dateAdd(-30, 'DAYS') }}"
states:
  - SUCCESS
`,
  properties: Props(
    {
      namespace: DString({ description: 'Only purge executions of this namespace (and sub-namespaces).' }),
      flowId: DString({ description: 'Only purge executions of this flow (needs `namespace`).' }),
      startDate: DString({ description: 'Purge executions after this ISO-8601 date-time.' }),
      endDate: DString({ description: 'Purge executions before this ISO-8601 date-time.' }),
      states: Type.Array(StringEnum(STATES), { description: 'Only purge executions in these states.' }),
      purgeExecution: dyn(Type.Boolean(), {
        default: true,
        description: 'Delete the executions themselves.',
      }),
      purgeLog: dyn(Type.Boolean(), { default: true, description: 'Delete their logs.' }),
      purgeMetric: dyn(Type.Boolean(), { default: true, description: 'Delete their metrics.' }),
      purgeStorage: dyn(Type.Boolean(), {
        default: true,
        description: 'Delete their files in the internal storage.',
      }),
    },
    { required: ['endDate'] },
  ),
};
