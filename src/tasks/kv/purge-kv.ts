import { Type } from '@sinclair/typebox';
import { DString, dyn, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const purgeKv: TaskDefinition = {
  type: 'io.kestra.plugin.core.kv.PurgeKV',
  aliases: ['kv.purgekv'],
  kind: 'runnable',
  since: '1.0',
  title: 'Delete keys of the key-value store, expired ones by default.',
  description:
    'Deletes the keys of the namespaces listed in `namespaces` (with their child namespaces unless ' +
    '`includeChildNamespaces: false`) or matching `namespacePattern` (all namespaces when neither is set), ' +
    'optionally only those matching `keyPattern`. `behavior` `{type: key, expiredOnly: true}` (the default) ' +
    'deletes only expired keys. Output: `size`, the number of keys deleted.',
  example: `id: purge_kv
type: io.kestra.plugin.core.kv.PurgeKV
namespaces:
  - company
behavior:
  type: key
  expiredOnly: true
`,
  properties: Props(
    {
      namespaces: Type.Array(Type.String(), {
        dynamic: true,
        description: 'Namespaces to purge; all when absent. Not together with `namespacePattern`.',
      }),
      namespacePattern: DString({
        description:
          'Glob pattern of the namespaces to purge, e.g. `company.*`. Not together with `namespaces`.',
      }),
      includeChildNamespaces: dyn(Type.Boolean(), {
        default: true,
        description: 'With `namespaces`: purge their child namespaces too (`company` takes `company.team`).',
      }),
      keyPattern: DString({ description: 'Glob pattern of the keys to delete, e.g. `AI_*`.' }),
      behavior: Type.Object(
        {
          type: StringEnum(['key', 'version'], {
            description: '`key`: delete whole keys; `version`: delete old versions of keys.',
          }),
          expiredOnly: Type.Optional(
            dyn(Type.Boolean(), { default: true, description: '`key`: delete only expired keys.' }),
          ),
          keepAmount: Type.Optional(
            dyn(Type.Integer({ minimum: 0 }), { description: '`version`: number of versions to keep.' }),
          ),
          before: Type.Optional(DString({ description: '`version`: delete versions older than this date.' })),
        },
        {
          additionalProperties: false,
          default: { type: 'key', expiredOnly: true },
          description:
            'How keys are purged. Baton keeps one version per key, so `version` has nothing to delete.',
        },
      ),
      expiredOnly: dyn(Type.Boolean(), {
        description: 'Deprecated: `behavior: {type: key, expiredOnly: ...}`; overrides `behavior` when set.',
      }),
    },
    {},
  ),
};
