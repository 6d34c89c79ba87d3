import { Type } from '@sinclair/typebox';
import { DString, dyn, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const kvPut: TaskDefinition = {
  type: 'io.kestra.plugin.core.kv.Put',
  aliases: ['kv.put'],
  kind: 'runnable',
  since: '1.0',
  title: 'Update a value of the key-value store.',
  description:
    'Writes `value` under `key` in the namespace, merging with what is there: a map is deep-merged into ' +
    'an existing map; a list of `{key, value}` entries sets those fields (dotted paths such as ' +
    '`nested.field` allowed); a single `[{value: ...}]` replaces the whole value; anything else replaces ' +
    'it. The entry keeps its expiry. With `errorOnMissing: true` a missing key fails the task, otherwise ' +
    'it is created.',
  example: `id: update_json
type: io.kestra.plugin.core.kv.Put
key: settings
value:
  - key: retries
    value: 3
  - key: nested.field
    value: on
`,
  properties: Props(
    {
      key: DString({ minLength: 1, description: 'The key.' }),
      value: { ...Type.Unknown(), dynamic: true, description: 'The value, or `{key, value}` field updates.' },
      namespace: DString({ description: 'Namespace of the key; the flow namespace by default.' }),
      errorOnMissing: dyn(Type.Boolean(), {
        default: false,
        description: 'Fail when the key does not exist.',
      }),
    },
    { required: ['key', 'value'] },
  ),
};
