import { Type } from '@sinclair/typebox';
import { DString, dyn, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const toggle: TaskDefinition = {
  type: 'io.kestra.plugin.core.trigger.Toggle',
  aliases: ['io.kestra.core.tasks.trigger.Toggle', 'toggle'],
  kind: 'runnable',
  title: 'Enable or disable a trigger.',
  description:
    'A task (not a trigger) that turns the trigger `trigger` of flow `namespace`/`flowId` (the current ' +
    'flow by default) on or off.',
  example: `id: pause_schedule
type: io.kestra.plugin.core.trigger.Toggle
trigger: every_morning
enabled: false
`,
  properties: Props(
    {
      namespace: DString({ description: 'Namespace of the flow; the current one by default.' }),
      flowId: DString({ description: 'Flow holding the trigger; the current one by default.' }),
      trigger: DString({ minLength: 1, description: 'Id of the trigger.' }),
      enabled: dyn(Type.Boolean(), { default: false, description: 'Enable (true) or disable (false) it.' }),
    },
    { required: ['trigger'] },
  ),
};
