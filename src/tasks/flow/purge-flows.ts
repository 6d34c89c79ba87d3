import { Type } from '@sinclair/typebox';
import { DString, dyn, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const purgeFlows: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.PurgeFlows',
  aliases: ['purgeflows'],
  kind: 'runnable',
  since: '1.0',
  title: 'Delete old revisions of flows.',
  description:
    'Deletes old revisions of the flows of `namespaces` (with their child namespaces unless ' +
    '`includeChildNamespaces: false`) or of `namespacePattern` (all namespaces when neither is set), ' +
    'optionally only of flows whose id matches `flowPattern`. `behavior` keeps the `keepAmount` latest ' +
    'revisions (1 by default) or deletes those saved before `before`. The latest revision of a flow is ' +
    'always kept. Output: `size`, the number of revisions deleted.',
  example: `id: purge_flows
type: io.kestra.plugin.core.flow.PurgeFlows
namespaces:
  - company
flowPattern: "*_deprecated"
behavior:
  type: version
  keepAmount: 2
`,
  properties: Props(
    {
      namespaces: Type.Array(Type.String(), {
        dynamic: true,
        description:
          'Namespaces whose flows are purged; all when absent. Not together with `namespacePattern`.',
      }),
      namespacePattern: DString({
        description: 'Glob pattern of the namespaces, e.g. `company.*`. Not together with `namespaces`.',
      }),
      includeChildNamespaces: dyn(Type.Boolean(), {
        default: true,
        description: 'With `namespaces`: their child namespaces too (`company` takes `company.team`).',
      }),
      flowPattern: DString({ description: 'Glob pattern of the flow ids, e.g. `*_deprecated`.' }),
      behavior: Type.Object(
        {
          type: Type.Literal('version', { description: 'Purge by revision.' }),
          keepAmount: Type.Optional(
            dyn(Type.Integer({ minimum: 1 }), {
              description: 'Revisions kept per flow (the latest included).',
            }),
          ),
          before: Type.Optional(
            DString({ description: 'Delete the revisions saved before this ISO-8601 instant.' }),
          ),
        },
        {
          additionalProperties: false,
          default: { type: 'version', keepAmount: 1 },
          description: 'Which revisions go: set `keepAmount` or `before`, not both.',
        },
      ),
    },
    {},
  ),
};
