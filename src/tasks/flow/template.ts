import { Type } from '@sinclair/typebox';
import { JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

export const template: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Template',
  aliases: ['io.kestra.core.tasks.flows.Template', 'template'],
  kind: 'flowable',
  deprecated: true,
  title: 'Include the tasks of a template (deprecated: use subflows).',
  description:
    'Runs the tasks of the template `namespace`/`templateId` as if they were written here. Templates ' +
    'are deprecated in Kestra; Baton accepts the type so that old flows validate.',
  example: `id: shared
type: io.kestra.plugin.core.flow.Template
namespace: company.team
templateId: shared_steps
`,
  properties: Props(
    {
      namespace: Type.String({ minLength: 1, description: 'Namespace of the template.' }),
      templateId: Type.String({ minLength: 1, description: 'Id of the template.' }),
      tenantId: Type.String({ description: 'Tenant of the template (multi-tenant installations).' }),
      args: JsonMap({ dynamic: true, description: 'Values passed to the template as `parent.args`.' }),
      ...errorHandlers,
    },
    { required: ['namespace', 'templateId'] },
  ),
  children: { lists: ['errors', 'finally'] },
};
