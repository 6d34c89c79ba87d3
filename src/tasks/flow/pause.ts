import { Type } from '@sinclair/typebox';
import { Duration, Props, StringEnum, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

/** A flow input declaration (validated by the flow validator's input rules). */
const InputRef = Type.Object({ id: Type.String(), type: Type.String() }, { additionalProperties: true });

export const pause: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Pause',
  aliases: ['io.kestra.core.tasks.flows.Pause', 'pause'],
  kind: 'flowable',
  title: 'Pause the execution until it is resumed.',
  description:
    'Puts the execution in PAUSED. It goes on when resumed (UI, API, `baton resume` or the ' +
    '`Resume` task), automatically after `delay`, or fails after `timeout` when nobody resumed it. ' +
    'On resume, values for the `onResume` inputs may be given; they become the outputs ' +
    '`onResume.<id>` of this task.',
  example: `id: approve
type: io.kestra.plugin.core.flow.Pause
timeout: PT1H
onResume:
  - id: approved
    type: BOOLEAN
    defaults: true
`,
  properties: Props({
    delay: Duration({ description: 'Resume automatically after this duration.' }),
    timeout: Duration({ description: 'Fail the task if it was not resumed within this duration.' }),
    pauseDuration: Duration({ description: 'Newer Kestra name of `delay` combined with `behavior`.' }),
    behavior: StringEnum(['RESUME', 'WARN', 'CANCEL', 'FAIL'], {
      default: 'RESUME',
      description: 'What happens once `pauseDuration` has passed: resume, end in WARNING, cancel or fail.',
    }),
    onResume: Type.Array(InputRef, {
      description: 'Inputs that may be given when resuming (same syntax as flow inputs).',
    }),
    tasks: TaskList({
      description: 'Deprecated: tasks run after the pause is over (put them after the task).',
    }),
    ...errorHandlers,
  }),
  children: { lists: ['tasks', 'errors', 'finally'] },
};
