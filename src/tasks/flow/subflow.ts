import { Type } from '@sinclair/typebox';
import { JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { subflowTarget } from './subflow-common.ts';

export const subflow: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Subflow',
  aliases: ['io.kestra.core.tasks.flows.Subflow', 'subflow'],
  kind: 'flowable',
  title: 'Start an execution of another flow.',
  description:
    'Creates an execution of the flow `namespace`/`flowId` with the given `inputs`. With `wait` (the ' +
    'default) the task ends when the child execution ends and `transmitFailed` makes a failed or killed ' +
    'child fail this task. The child carries the label `system.correlationId` of the root execution. ' +
    'Outputs: `executionId`, `state`, and the flow outputs of the child under `outputs`.',
  example: `id: call_child
type: io.kestra.plugin.core.flow.Subflow
namespace: company.team
flowId: child
inputs:
  name: world
wait: true
transmitFailed: true
`,
  properties: Props(
    {
      ...subflowTarget,
      wait: Type.Boolean({ default: true, description: 'Wait for the child execution to end.' }),
      transmitFailed: Type.Boolean({
        default: true,
        description: 'Fail this task when the child execution fails or is killed (needs `wait`).',
      }),
      outputs: JsonMap({
        dynamic: true,
        description:
          'Deprecated (use flow outputs): values rendered with the child execution outputs once it ends.',
      }),
    },
    { required: ['namespace', 'flowId'] },
  ),
};

export const flowTask: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Flow',
  aliases: ['io.kestra.core.tasks.flows.Flow', 'flow'],
  kind: 'flowable',
  deprecated: true,
  title: 'Start an execution of another flow (deprecated: use Subflow).',
  description:
    'The predecessor of `Subflow`: same properties, but it does not wait for the child execution ' +
    'by default.',
  example: `id: call_child
type: io.kestra.plugin.core.flow.Flow
namespace: company.team
flowId: child
wait: true
`,
  properties: Props(
    {
      ...subflowTarget,
      wait: Type.Boolean({ default: false, description: 'Wait for the child execution to end.' }),
      transmitFailed: Type.Boolean({
        default: false,
        description: 'Fail this task when the child execution fails or is killed (needs `wait`).',
      }),
      outputs: JsonMap({
        dynamic: true,
        description: 'Values rendered with the child execution outputs once it ends.',
      }),
    },
    { required: ['namespace', 'flowId'] },
  ),
};
