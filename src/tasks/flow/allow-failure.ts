import { Props, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

export const allowFailure: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.AllowFailure',
  aliases: ['io.kestra.core.tasks.flows.AllowFailure', 'allowfailure'],
  kind: 'flowable',
  deprecated: true,
  title: 'Run tasks whose failure does not fail the execution (deprecated: use `allowFailure: true`).',
  description:
    'Runs its `tasks` in order like `Sequential`; when one fails, `errors` run and this task ends in ' +
    'WARNING instead of FAILED, so the execution goes on. Prefer the `allowFailure` property of any task.',
  example: `id: may_fail
type: io.kestra.plugin.core.flow.AllowFailure
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
`,
  properties: Props(
    { tasks: TaskList({ minItems: 1, description: 'The tasks to run, in order.' }), ...errorHandlers },
    { required: ['tasks'] },
  ),
  children: { lists: ['tasks', 'errors', 'finally'] },
};
